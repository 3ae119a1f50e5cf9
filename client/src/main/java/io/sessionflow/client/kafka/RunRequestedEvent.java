package io.sessionflow.client.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A run request as the run-worker reads it from {@code runs.requested} (schema_version {@value #SCHEMA_VERSION}):
 * the client's copy of the server's {@code RunRequested}, kept compatible by a test that reads each with the other.
 * The run-worker creates the session and the run it has never seen.
 */
public record RunRequestedEvent(int schemaVersion, String runId, String sessionId, String userId, String componentType, String componentId,
                                Input input, ObjectNode sessionState, boolean overwriteSessionState, Overrides overrides,
                                Instant requestedAt, String webhookUrl) {

    public static final int SCHEMA_VERSION = 1;

    /** The user's message. */
    public record Input(String message) {
        public Input {
            Objects.requireNonNull(message, "null message");
        }
    }

    /** Per-run overrides of the component's history settings; null fields keep the component's. */
        public record Overrides(Boolean addHistoryToContext, Integer numHistoryRuns, Integer numHistoryMessages, Boolean addSessionStateToContext) {
    }

    public RunRequestedEvent {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema_version must be " + SCHEMA_VERSION + ", got " + schemaVersion);
        }
        Objects.requireNonNull(runId, "null run_id");
        Objects.requireNonNull(sessionId, "null session_id");
        if (!"agent".equals(componentType) && !"team".equals(componentType)) {
            throw new IllegalArgumentException("component_type must be agent or team, got " + componentType);
        }
        Objects.requireNonNull(componentId, "null component_id");
        Objects.requireNonNull(input, "null input");
        Objects.requireNonNull(requestedAt, "null requested_at");
    }

    /** A run of agent {@code agentId} in {@code sessionId} for {@code userId} (may be null), with a new run id, requested now. */
    public static RunRequestedEvent forAgent(String agentId, String sessionId, String userId, String message) {
        return new RunRequestedEvent(SCHEMA_VERSION, UUID.randomUUID().toString(), sessionId, userId, "agent", agentId, new Input(message),
                null, false, null, Instant.now(), null);
    }

    /** The same for a team. */
    public static RunRequestedEvent forTeam(String teamId, String sessionId, String userId, String message) {
        return new RunRequestedEvent(SCHEMA_VERSION, UUID.randomUUID().toString(), sessionId, userId, "team", teamId, new Input(message),
                null, false, null, Instant.now(), null);
    }

    /** This request with state merged into the session's (or replacing it when {@code overwrite}). */
    public RunRequestedEvent withState(ObjectNode state, boolean overwrite) {
        return new RunRequestedEvent(schemaVersion, runId, sessionId, userId, componentType, componentId, input, state, overwrite, overrides,
                requestedAt, webhookUrl);
    }
}
