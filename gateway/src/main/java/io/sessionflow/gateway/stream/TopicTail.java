package io.sessionflow.gateway.stream;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A gateway's view of what happens next on some topics: one thread reading every partition from its
 * end, outside any consumer group, so every gateway instance sees every record, whichever accepted
 * the run and whichever worker ran it.
 */
public final class TopicTail implements AutoCloseable {

    /** What is done with each record, on the tail's thread (it must not block). */
    public interface Reader {
        void read(ConsumerRecord<String, byte[]> record);

        /** The tail has stopped: closed ({@code failure} null) or on an error. */
        default void stopped(RuntimeException failure) {
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Reader reader;
    private final Thread thread;
    private volatile boolean running = true;

    public TopicTail(KafkaClients clients, String name, List<String> topics, Reader reader) {
        this.consumer = clients.standaloneConsumer(name);
        this.topics = List.copyOf(topics);
        this.reader = reader;
        this.thread = DaemonThreads.named(name).newThread(this::loop);
    }

    /** Positions at the end of every partition before returning, so no later record is missed. */
    public TopicTail start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        thread.start();
        return this;
    }

    private void loop() {
        RuntimeException failure = null;
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reader.read(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            running = false;
            try {
                reader.stopped(failure);
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
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
