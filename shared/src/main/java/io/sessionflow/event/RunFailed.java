package io.sessionflow.event;

import java.time.Instant;
import java.util.Objects;

/** Emitted on {@code runs.failed}: the run is stored as failed (or cancelled) and the session state is unchanged. */
public record RunFailed(
        int schemaVersion,
        String runId,
        String sessionId,
        String userId,
        ComponentType componentType,
        String componentId,
        String status,
        String error,
        Instant requestedAt,
        Instant failedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** The event announcing that {@code request}'s run ended as {@code status} (failed or cancelled) at {@code failedAt}. */
    public static RunFailed of(RunRequested request, String status, String error, Instant failedAt) {
        return new RunFailed(SCHEMA_VERSION, request.runId(), request.sessionId(), request.userId(), request.componentType(),
                request.componentId(), status, error, request.requestedAt(), failedAt);
    }

    public RunFailed {
        Ids.requireId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(error, "error is required");
    }
}
