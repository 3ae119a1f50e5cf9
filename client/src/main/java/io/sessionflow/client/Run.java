package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A run as the server shows it; {@code status} is pending, running, paused, completed, failed or
 * cancelled. A paused run lists the calls it waits for in {@code pendingToolCalls} (call_id, tool_name,
 * arguments, awaiting: result or approval); answer them with {@link SessionflowClient#continueRun}.
 */
public record Run(String runId, String sessionId, String status, String componentType, String componentId, String userId,
                  Integer runIndex, JsonNode input, String content, JsonNode messages, String model, JsonNode metrics, String error,
                  Instant createdAt, Instant startedAt, Instant completedAt, JsonNode pendingToolCalls) {

    public boolean isPaused() {
        return "paused".equals(status);
    }

    public boolean isFinished() {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
