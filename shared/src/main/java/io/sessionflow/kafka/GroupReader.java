package io.sessionflow.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a consumer group that reads one topic in order and commits after each batch is
 * handled. For consumers whose work per record is quick; the run-worker has its own loop because
 * its work (a model call) is not.
 */
public final class GroupReader<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupReader.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<V> topic;
    private final Consumer<V> handler;
    private final Thread thread;
    private volatile boolean running = true;

    public GroupReader(KafkaClients clients, String groupId, String clientId, Topic<V> topic, Consumer<V> handler) {
        this.topic = Objects.requireNonNull(topic, "null topic");
        this.handler = Objects.requireNonNull(handler, "null handler");
        this.consumer = clients.consumer(groupId, clientId);
        this.thread = new Thread(this::loop, clientId);
    }

    public GroupReader<V> start() {
        consumer.subscribe(List.of(topic.name()));
        thread.start();
        return this;
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handler.accept(topic.deserialize(record.value()));
                    } catch (PoisonRecordException e) {
                        log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                    }
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
