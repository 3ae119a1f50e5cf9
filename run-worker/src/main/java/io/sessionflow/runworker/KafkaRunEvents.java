package io.sessionflow.runworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.RunEvent;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a run's events to {@code runs.events}, keyed by session id so they stay in order, numbered
 * from 1. Deltas are sent without waiting (the final event, sent after them on the same partition,
 * is waited for).
 */
final class KafkaRunEvents implements RunEventSink {

    private final Producer<String, byte[]> producer;
    private final Topic<RunEvent> topic;
    private final Clock clock;
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    KafkaRunEvents(Producer<String, byte[]> producer, Topic<RunEvent> topic, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void started(RunRequested run) {
        if (sequences.putIfAbsent(run.runId(), new AtomicLong()) == null) {
            send(run.runId(), run.sessionId(), RunEvent.STARTED, null, null);
        }
    }

    @Override
    public void delta(RunRequested run, String text) {
        send(run.runId(), run.sessionId(), RunEvent.DELTA, text, null);
    }

    @Override
    public void retrying(RunRequested run, String reason) {
        send(run.runId(), run.sessionId(), RunEvent.RETRYING, reason, null);
    }

    /** The last event: the run's outcome. */
    Future<RecordMetadata> finished(String runId, String sessionId, boolean completed, Object outcome) {
        Future<RecordMetadata> sent = send(runId, sessionId, completed ? RunEvent.COMPLETED : RunEvent.FAILED, null,
                Json.MAPPER.valueToTree(outcome));
        sequences.remove(runId);
        return sent;
    }

    private Future<RecordMetadata> send(String runId, String sessionId, String type, String delta, JsonNode run) {
        long seq = sequences.computeIfAbsent(runId, id -> new AtomicLong()).incrementAndGet();
        RunEvent event = new RunEvent(RunEvent.SCHEMA_VERSION, runId, sessionId, seq, type, delta, run, clock.instant());
        return producer.send(new ProducerRecord<>(topic.name(), sessionId, topic.serialize(event)));
    }
}
