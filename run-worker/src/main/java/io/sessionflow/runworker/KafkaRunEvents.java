package io.sessionflow.runworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.RunEvent;
import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.model.ToolCall;
import java.time.Clock;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a run's events to {@code runs.events}, keyed by session id so they stay in order. It keeps
 * nothing per run: an event's id is the offset its record gets, so numbering cannot restart when the
 * run is executed again elsewhere, and a run that never finishes leaves nothing behind. Every attempt
 * begins with {@code run_started}. Deltas are sent without waiting (the final event, sent after them
 * on the same partition, is waited for).
 *
 * <p>Public so that tests can publish as a second worker executing the same run would.
 */
public final class KafkaRunEvents implements RunEventSink {

    private final Producer<String, byte[]> producer;
    private final Topic<RunEvent> topic;
    private final Topic<RunRequested> requests;
    private final Clock clock;

    public KafkaRunEvents(Producer<String, byte[]> producer, Topic<RunEvent> topic, Clock clock) {
        this(producer, topic, null, clock);
    }

    /** @param requests where {@link #resend} sends runs ({@code runs.requested}); null when this sink sends none */
    public KafkaRunEvents(Producer<String, byte[]> producer, Topic<RunEvent> topic, Topic<RunRequested> requests, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public void started(RunRequested run) {
        send(run.runId(), run.sessionId(), RunEvent.STARTED, null, null);
    }

    @Override
    public void delta(RunRequested run, String text) {
        send(run.runId(), run.sessionId(), RunEvent.DELTA, text, null);
    }

    @Override
    public void retrying(RunRequested run, String reason) {
        send(run.runId(), run.sessionId(), RunEvent.RETRYING, reason, null);
    }

    @Override
    public void toolCallStarted(RunRequested run, ToolCall call) {
        send(run.runId(), run.sessionId(), RunEvent.TOOL_CALL_STARTED, null, null, toolCall(call));
    }

    @Override
    public void toolCallCompleted(RunRequested run, ToolCall call, String status, String result) {
        send(run.runId(), run.sessionId(), RunEvent.TOOL_CALL_COMPLETED, null, null,
                toolCall(call).put("status", status).put("result", result));
    }

    @Override
    public void paused(RunRequested run, RunPaused paused) {
        send(run.runId(), run.sessionId(), RunEvent.PAUSED, null, Json.MAPPER.valueToTree(paused));
    }

    /** Waits for the broker: the caller's record is done only once the request it sends is safe. */
    @Override
    public void resend(RunRequested run) {
        requests.publish(producer, run.sessionId(), run);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode toolCall(ToolCall call) {
        return Json.object().put("id", call.id()).put("name", call.name()).put("arguments", call.arguments());
    }

    /** The last event: the run's outcome. */
    public Future<RecordMetadata> finished(String runId, String sessionId, boolean completed, Object outcome) {
        return send(runId, sessionId, completed ? RunEvent.COMPLETED : RunEvent.FAILED, null, Json.MAPPER.valueToTree(outcome));
    }

    private Future<RecordMetadata> send(String runId, String sessionId, String type, String delta, JsonNode run) {
        return send(runId, sessionId, type, delta, run, null);
    }

    private Future<RecordMetadata> send(String runId, String sessionId, String type, String delta, JsonNode run, JsonNode toolCall) {
        RunEvent event = new RunEvent(RunEvent.SCHEMA_VERSION, runId, sessionId, type, delta, run, clock.instant(), toolCall);
        return producer.send(new ProducerRecord<>(topic.name(), sessionId, topic.serialize(event)));
    }
}
