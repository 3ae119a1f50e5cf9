package io.sessionflow.bench;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/** When each run's {@code RunCompleted} reached an outside consumer: the "completed" end of accept→completed. */
final class CompletionClock implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> completedAt = new ConcurrentHashMap<>();
    private final Map<String, Double> latencyMs = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CompletionClock(KafkaClients clients) {
        consumer = clients.standaloneConsumer("bench-completions");
        List<TopicPartition> partitions = new ArrayList<>();
        String topic = clients.topics().runsCompleted().name();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        thread = DaemonThreads.named("bench-completions").newThread(this::loop);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    java.time.Instant seen = java.time.Instant.now();
                    try {
                        com.fasterxml.jackson.databind.JsonNode completed = Json.MAPPER.readTree(record.value());
                        String runId = completed.path("run_id").asText();
                        completedAt.putIfAbsent(runId, now);
                        latencyMs.putIfAbsent(runId, java.time.Duration.between(
                                java.time.Instant.parse(completed.path("requested_at").asText()), seen).toNanos() / 1e6);
                    } catch (IOException | RuntimeException e) {
                        // not ours to judge: skip
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** System.nanoTime() when the run's completion was seen, or null. */
    Long completedAt(String runId) {
        return completedAt.get(runId);
    }

    /**
     * Accepted (the gateway's timestamp in the run, taken before it stores and publishes it) to
     * completed (this consumer seeing the {@code RunCompleted}), in ms; null when not seen.
     */
    Double latencyMs(String runId) {
        return latencyMs.get(runId);
    }

    int count() {
        return completedAt.size();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
