package io.sessionflow.event;

import java.time.Instant;
import java.util.Objects;

/** Emitted on {@code runs.completed} after the run and the new session state are committed. */
public record RunCompleted(
        int schemaVersion,
        String runId,
        String sessionId,
        String userId,
        ComponentType componentType,
        String componentId,
        int runIndex,
        RunInput input,
        String content,
        String model,
        RunMetrics metrics,
        Instant requestedAt,
        Instant completedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** The event announcing {@code request}'s run, committed as the session's {@code runIndex}-th at {@code completedAt}. */
    public static RunCompleted of(RunRequested request, int runIndex, String content, String model, RunMetrics metrics, Instant completedAt) {
        return new RunCompleted(SCHEMA_VERSION, request.runId(), request.sessionId(), request.userId(), request.componentType(),
                request.componentId(), runIndex, request.input(), content, model, metrics, request.requestedAt(), completedAt);
    }

    public RunCompleted {
        Ids.requireId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(componentType, "component_type is required");
        Objects.requireNonNull(content, "content is required");
        if (runIndex < 1) {
            throw new IllegalArgumentException("run_index must be >= 1");
        }
    }
}
