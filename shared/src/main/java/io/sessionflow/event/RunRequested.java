package io.sessionflow.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

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
        String webhookUrl,
        // Left out of the record when absent: only a workflow's step carries it, and every other run request
        // keeps the wire shape external producers and consumers know.
        @JsonInclude(JsonInclude.Include.NON_NULL) WorkflowStep workflowStep) {

    public static final int SCHEMA_VERSION = 1;

    /** The type and id of the component the run's session belongs to: the workflow's, for a step of one. */
    public ComponentType sessionType() {
        return workflowStep == null ? componentType : ComponentType.WORKFLOW;
    }

    public String sessionComponentId() {
        return workflowStep == null ? componentId : workflowStep.workflowId();
    }

    /** The run this one is a child of: its workflow run, for a step; null for a top-level run. */
    public String parentRunId() {
        return workflowStep == null ? null : workflowStep.workflowRunId();
    }

    /**
     * A new run of {@code componentId} in {@code sessionId}, with a fresh run id, asked now, with no
     * state to merge, no overrides and no webhook: the with* methods set the rest by name.
     */
    public static RunRequested of(ComponentType componentType, String componentId, String sessionId, String userId, String message) {
        return new RunRequested(SCHEMA_VERSION, UUID.randomUUID().toString(), sessionId, userId, componentType, componentId,
                new RunInput(message), null, false, RunOverrides.NONE, Instant.now(), null, null);
    }

    public RunRequested withRunId(String id) {
        return new RunRequested(schemaVersion, id, sessionId, userId, componentType, componentId, input, sessionState,
                overwriteSessionState, overrides, requestedAt, webhookUrl, workflowStep);
    }

    /** The state the run brings: merged into the session's, or replacing it when {@code overwrite}. */
    public RunRequested withSessionState(ObjectNode state, boolean overwrite) {
        return new RunRequested(schemaVersion, runId, sessionId, userId, componentType, componentId, input, state,
                overwrite, overrides, requestedAt, webhookUrl, workflowStep);
    }

    public RunRequested withOverrides(RunOverrides runOverrides) {
        return new RunRequested(schemaVersion, runId, sessionId, userId, componentType, componentId, input, sessionState,
                overwriteSessionState, runOverrides, requestedAt, webhookUrl, workflowStep);
    }

    public RunRequested withRequestedAt(Instant at) {
        return new RunRequested(schemaVersion, runId, sessionId, userId, componentType, componentId, input, sessionState,
                overwriteSessionState, overrides, at, webhookUrl, workflowStep);
    }

    public RunRequested withWebhookUrl(String url) {
        return new RunRequested(schemaVersion, runId, sessionId, userId, componentType, componentId, input, sessionState,
                overwriteSessionState, overrides, requestedAt, url, workflowStep);
    }

    /** This run as {@code step} of a workflow run, whose id it takes. */
    public RunRequested asStep(WorkflowStep step) {
        return new RunRequested(schemaVersion, step.runId(), sessionId, userId, componentType, componentId, input, sessionState,
                overwriteSessionState, overrides, requestedAt, webhookUrl, step);
    }

    public RunRequested {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported schema_version " + schemaVersion + " (expected " + SCHEMA_VERSION + ")");
        }
        if (workflowStep == null) {
            Ids.requireRunId(runId, "run_id");
        } else if (!workflowStep.runId().equals(runId)) {
            // A step's id is derived from its workflow run's, so it may be longer than a request's own.
            throw new IllegalArgumentException("run_id of a workflow step must be " + workflowStep.runId() + ", got " + runId);
        } else if (componentType == ComponentType.WORKFLOW) {
            throw new IllegalArgumentException("a workflow step is an agent or a team, not a workflow");
        }
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
