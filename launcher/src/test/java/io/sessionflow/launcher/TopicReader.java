package io.sessionflow.launcher;

import io.sessionflow.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from the beginning, outside any group, as an external consumer would. */
final class TopicReader {

    private TopicReader() {
    }

    /** Reads until the records read so far satisfy {@code done}, or fails after the timeout. */
    static List<ConsumerRecord<String, byte[]>> readUntil(KafkaClients kafka, String topic, Duration timeout,
                                                          Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        try (KafkaConsumer<String, byte[]> consumer = kafka.standaloneConsumer("test-reader")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic + " (" + records.size() + " records read)");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** The sum of end offsets: grows by one for every record published. */
    static long endOffsetSum(KafkaClients kafka, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = kafka.standaloneConsumer("test-offsets")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            return ends.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
