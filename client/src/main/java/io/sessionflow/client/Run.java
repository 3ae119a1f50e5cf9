package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A run as the server shows it; {@code status} is pending, running, completed, failed or cancelled. */
public record Run(String runId, String sessionId, String status, String componentType, String componentId, String userId,
                  Integer runIndex, JsonNode input, String content, JsonNode messages, String model, JsonNode metrics, String error,
                  Instant createdAt, Instant startedAt, Instant completedAt) {

    public boolean isFinished() {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
