package io.sessionflow.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Emitted on {@code runs.paused} (keyed by session id) when a run stops to wait for its pending tool
 * calls: results of external tools, or approvals. Whoever executes the tools, in any language, reads
 * this and answers with a {@link RunContinuation} on {@code runs.continuations} (or
 * {@code POST /v1/runs/{id}/continue}). The run fails if no answer comes by {@code expiresAt}.
 */
public record RunPaused(
        int schemaVersion,
        String runId,
        String sessionId,
        String userId,
        ComponentType componentType,
        String componentId,
        List<PendingToolCall> pendingToolCalls,
        Instant pausedAt,
        Instant expiresAt) {

    public static final int SCHEMA_VERSION = 1;

    public static RunPaused of(RunRequested request, List<PendingToolCall> pending, Instant pausedAt, Instant expiresAt) {
        return new RunPaused(SCHEMA_VERSION, request.runId(), request.sessionId(), request.userId(), request.componentType(),
                request.componentId(), pending, pausedAt, expiresAt);
    }

    public RunPaused {
        Ids.requireId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        pendingToolCalls = List.copyOf(Objects.requireNonNull(pendingToolCalls, "pending_tool_calls is required"));
        if (pendingToolCalls.isEmpty()) {
            throw new IllegalArgumentException("a paused run has at least one pending tool call");
        }
    }
}
