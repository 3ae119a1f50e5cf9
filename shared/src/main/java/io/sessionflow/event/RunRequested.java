package io.sessionflow.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to execute one run, as published on {@code runs.requested} (keyed by session id). This
 * is a public API: external producers publish it straight to the topic.
 */
public record RunRequested(
        int schemaVersion,
        String runId,
        String sessionId,
        String userId,
        ComponentType componentType,
        String componentId,
        RunInput input,
        ObjectNode sessionState,
        boolean overwriteSessionState,
        RunOverrides overrides,
        Instant requestedAt,
        String webhookUrl) {

    public static final int SCHEMA_VERSION = 1;

    /** A run without a webhook of its own. */
    public RunRequested(int schemaVersion, String runId, String sessionId, String userId, ComponentType componentType, String componentId,
                        RunInput input, ObjectNode sessionState, boolean overwriteSessionState, RunOverrides overrides, Instant requestedAt) {
        this(schemaVersion, runId, sessionId, userId, componentType, componentId, input, sessionState, overwriteSessionState, overrides,
                requestedAt, null);
    }

    public RunRequested {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported schema_version " + schemaVersion + " (expected " + SCHEMA_VERSION + ")");
        }
        Ids.requireRunId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(componentType, "component_type is required");
        Ids.requireId(componentId, "component_id");
        Objects.requireNonNull(input, "input is required");
        // Text that Postgres cannot hold is refused here, so a record from an external producer is
        // dead-lettered as poison instead of failing the store on every retry.
        StorableText.require("user_id", userId);
        StorableText.require("session_state", sessionState);
        StorableText.require("webhook_url", webhookUrl);
        overrides = overrides == null ? RunOverrides.NONE : overrides;
        requestedAt = requestedAt == null ? Instant.now() : requestedAt;
    }
}
