package io.sessionflow.store.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunInput;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.json.Json;
import java.time.Instant;
import java.util.Objects;

/** A run row as stored; content, messages, metrics and error are set once it finishes. */
public record RunRecord(
        String runId,
        String sessionId,
        Integer runIndex,
        String parentRunId,
        String userId,
        ComponentType componentType,
        String componentId,
        RunStatus status,
        JsonNode input,
        String content,
        JsonNode messages,
        String model,
        JsonNode metrics,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt) {

    public String message() {
        return input.path("message").asText();
    }

    /** The event that announced this completed run, rebuilt from the row (to re-emit an outcome already stored). */
    public RunCompleted completedEvent() {
        JsonNode m = metrics == null ? Json.object() : metrics;
        RunMetrics stored = new RunMetrics(m.path("input_tokens").asLong(), m.path("output_tokens").asLong(),
                m.path("model_latency_ms").asLong(), m.path("total_latency_ms").asLong(), m.path("accept_to_start_ms").asLong(),
                m.path("commit_ms").asLong());
        return new RunCompleted(RunCompleted.SCHEMA_VERSION, runId, sessionId, userId, componentType, componentId, runIndex,
                new RunInput(message()), content, model, stored, createdAt, completedAt);
    }

    /** The event that announced this failed or cancelled run, rebuilt from the row; a missing error reads as the status. */
    public RunFailed failedEvent() {
        return new RunFailed(RunFailed.SCHEMA_VERSION, runId, sessionId, userId, componentType, componentId, status.wireName(),
                Objects.requireNonNullElse(error, status.wireName()), createdAt, completedAt);
    }
}
