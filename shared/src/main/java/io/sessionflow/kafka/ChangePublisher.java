package io.sessionflow.kafka;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.event.SessionChanged;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Announces updated summaries and contexts on {@code sessions.changed}, keyed by session id, and waits for the broker. */
public final class ChangePublisher {

    private final Producer<String, byte[]> producer;
    private final Topic<SessionChanged> topic;

    public ChangePublisher(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topic = topics.sessionsChanged();
    }

    public void publish(SessionChanged change) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), change.sessionId(), topic.serialize(change))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerException("could not publish to " + topic.name() + ": " + e.getMessage(), e);
        }
    }
}
