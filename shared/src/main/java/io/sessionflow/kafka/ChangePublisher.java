package io.sessionflow.kafka;

import io.sessionflow.event.SessionChanged;
import org.apache.kafka.clients.producer.Producer;

/** Announces updated summaries and contexts on {@code sessions.changed}, keyed by session id, and waits for the broker. */
public final class ChangePublisher {

    private final Producer<String, byte[]> producer;
    private final Topic<SessionChanged> topic;

    public ChangePublisher(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topic = topics.sessionsChanged();
    }

    public void publish(SessionChanged change) {
        topic.publish(producer, change.sessionId(), change);
    }
}
