package io.sessionflow.gateway;

import io.sessionflow.gateway.stream.TopicTail;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiting requests when their run finished (or paused). Every gateway instance tails
 * {@code runs.completed}, {@code runs.failed} and {@code runs.paused} ({@link TopicTail}), so it does not
 * matter which instance accepted the run or which worker executed it.
 */
public final class CompletionWaiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompletionWaiter.class);

    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final TopicTail tail;

    CompletionWaiter(KafkaClients clients) {
        // A paused run answers a waiting request too: it waits for its caller now, not for the worker.
        List<String> topics = List.of(clients.topics().runsCompleted().name(), clients.topics().runsFailed().name(),
                clients.topics().runsPaused().name());
        this.tail = new TopicTail(clients, "gateway-completions", topics, new TopicTail.Reader() {
            @Override
            public void read(ConsumerRecord<String, byte[]> record) {
                CompletableFuture<Void> future = waiting.remove(runIdOf(record.value()));
                if (future != null) {
                    future.complete(null);
                }
            }

            @Override
            public void stopped(RuntimeException failure) {
                if (failure != null) {
                    log.error("completion listener stopped; wait=true requests will time out", failure);
                }
            }
        });
    }

    /** Positions at the end of every partition before returning, so no later completion is missed. */
    CompletionWaiter start() {
        tail.start();
        return this;
    }

    /** Call before publishing the run: the future completes when its outcome is published. */
    public CompletableFuture<Void> expect(String runId) {
        return waiting.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }

    public void forget(String runId) {
        waiting.remove(runId);
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
        tail.close();
    }
}
