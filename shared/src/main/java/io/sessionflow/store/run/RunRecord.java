package io.sessionflow.store.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import java.time.Instant;

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
}
