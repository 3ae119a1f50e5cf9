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

    public RunFailed {
        Ids.requireId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(error, "error is required");
    }
}
