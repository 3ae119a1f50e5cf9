package io.sessionflow.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a run as it happens, on {@code runs.events} (keyed by session id): {@code run_started}
 * (an attempt begins), {@code delta} (a piece of the answer as the model produces it), {@code retrying}
 * (the attempt's deltas so far are void; a new attempt follows), then {@code run_completed} or
 * {@code run_failed} with the final run. Between them, {@code tool_call_started} and
 * {@code tool_call_completed} carry a tool call ({@code tool_call}: id, name, arguments; then status and result), and
 * {@code run_paused} says the run waits for tool results or approvals. A run executed again (after a worker crash or a rebalance)
 * starts over with {@code run_started}: the deltas before it are void too.
 *
 * <p>An event carries no number of its own: its SSE id is the offset of its record in the session's
 * partition, unique and ordered across every execution of the run, whichever worker published it.
 */
public record RunEvent(int schemaVersion, String runId, String sessionId, String type, String delta, JsonNode run,
                       Instant at, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       JsonNode toolCall) {

    /** 2: the per-process {@code seq} of version 1 is gone (it restarted at 1 when a run was executed again). */
    public static final int SCHEMA_VERSION = 2;
    public static final String STARTED = "run_started";
    public static final String DELTA = "delta";
    public static final String RETRYING = "retrying";
    public static final String COMPLETED = "run_completed";
    public static final String FAILED = "run_failed";
    public static final String TOOL_CALL_STARTED = "tool_call_started";
    public static final String TOOL_CALL_COMPLETED = "tool_call_completed";
    /** The run stopped to wait for tool results or approvals ({@code run}: the {@code RunPaused}); it goes on with a new {@code run_started}. */
    public static final String PAUSED = "run_paused";
    private static final Set<String> TYPES = Set.of(STARTED, DELTA, RETRYING, COMPLETED, FAILED, TOOL_CALL_STARTED, TOOL_CALL_COMPLETED, PAUSED);

    /** An event without a tool call. */
    public RunEvent(int schemaVersion, String runId, String sessionId, String type, String delta, JsonNode run, Instant at) {
        this(schemaVersion, runId, sessionId, type, delta, run, at, null);
    }

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
