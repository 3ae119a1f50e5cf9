package io.sessionflow.client.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** {@code runs.completed}: the run and the new session state are committed. The client's copy of the server's {@code RunCompleted}. */
public record RunCompletedEvent(int schemaVersion, String runId, String sessionId, String userId, String componentType, String componentId,
                                int runIndex, RunRequestedEvent.Input input, String content, String model, JsonNode metrics,
                                Instant requestedAt, Instant completedAt) implements RunOutcome {

    public static final int SCHEMA_VERSION = 1;
}
