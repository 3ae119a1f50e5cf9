package io.sessionflow.gateway;

import io.sessionflow.event.MemoriesUpdated;
import io.sessionflow.kafka.Topic;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Announces a hand change of a user's memories on {@code users.changed}, keyed by user. The change is
 * committed first; the answer waits for Kafka, so a 2xx means the announcement is on the bus too.
 */
final class MemoryAnnouncer implements Consumer<MemoriesUpdated> {

    private final KafkaProducer<String, byte[]> producer;
    private final Topic<MemoriesUpdated> topic;

    MemoryAnnouncer(KafkaProducer<String, byte[]> producer, Topic<MemoriesUpdated> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void accept(MemoriesUpdated change) {
        topic.publish(producer, change.userId(), change);
    }
}
