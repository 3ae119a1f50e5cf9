package io.sessionflow.gateway;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiting requests when their run finished (or paused). Every gateway instance reads all partitions of
 * {@code runs.completed}, {@code runs.failed} and {@code runs.paused} from the end, outside any consumer group, so it
 * does not matter which instance accepted the run or which worker executed it.
 */
public final class CompletionWaiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompletionWaiter.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CompletionWaiter(KafkaClients clients) {
        this.consumer = clients.standaloneConsumer("gateway-completions");
        // A paused run answers a waiting request too: it waits for its caller now, not for the worker.
        this.topics = List.of(clients.topics().runsCompleted().name(), clients.topics().runsFailed().name(), clients.topics().runsPaused().name());
        this.thread = DaemonThreads.named("gateway-completions").newThread(this::loop);
    }

    /** Positions at the end of every partition before returning, so no later completion is missed. */
    CompletionWaiter start() {
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

    /** Call before publishing the run: the future completes when its outcome is published. */
    public CompletableFuture<Void> expect(String runId) {
        return waiting.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }

    public void forget(String runId) {
        waiting.remove(runId);
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CompletableFuture<Void> future = waiting.remove(runIdOf(record.value()));
                    if (future != null) {
                        future.complete(null);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("completion listener stopped; wait=true requests will time out", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static String runIdOf(byte[] value) {
        try {
            return value == null ? "" : Json.MAPPER.readTree(value).path("run_id").asText();
        } catch (IOException e) {
            return "";
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
