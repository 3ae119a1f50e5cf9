package io.sessionflow.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a run as it happens, on {@code runs.events} (keyed by session id): {@code run_started},
 * {@code delta} (a piece of the answer as the model produces it), {@code retrying} (the attempt's
 * deltas so far are void; a new attempt follows), then {@code run_completed} or {@code run_failed}
 * with the final run. {@code seq} numbers a run's events from 1; it is the SSE event id.
 */
public record RunEvent(int schemaVersion, String runId, String sessionId, long seq, String type, String delta, JsonNode run,
                       Instant at) {

    public static final int SCHEMA_VERSION = 1;
    public static final String STARTED = "run_started";
    public static final String DELTA = "delta";
    public static final String RETRYING = "retrying";
    public static final String COMPLETED = "run_completed";
    public static final String FAILED = "run_failed";
    private static final Set<String> TYPES = Set.of(STARTED, DELTA, RETRYING, COMPLETED, FAILED);

    public RunEvent {
        Ids.requireId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(type, "type is required");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown run event type '" + type + "'");
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isFinal() {
        return COMPLETED.equals(type) || FAILED.equals(type);
    }
}
