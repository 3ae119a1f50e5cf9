package io.sessionflow.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The answers a paused run waits for, as published on {@code runs.continuations} (keyed by session
 * id) by whoever executed its external tools or asked a human, in any language; the same body as
 * {@code POST /v1/runs/{id}/continue}. Every pending call is answered at once: a result for each
 * external tool's call, an approval for each call that needs one.
 */
public record RunContinuation(int schemaVersion, String runId, String sessionId, List<ToolResult> toolResults, List<Approval> approvals) {

    public static final int SCHEMA_VERSION = 1;

    /** An external tool's result; {@code content} is what the model reads (a JSON value other than text is sent as its JSON). */
    public record ToolResult(String callId, JsonNode content) {

        public String text() {
            return content == null || content.isNull() ? "" : content.isTextual() ? content.asText() : content.toString();
        }
    }

    /** A human's decision on a call that needs approval; {@code reason} is told to the model when it is rejected. */
    public record Approval(String callId, Boolean approved, String reason) {
    }

    public RunContinuation {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported schema_version " + schemaVersion + " (expected " + SCHEMA_VERSION + ")");
        }
        Ids.requireRunId(runId, "run_id");
        Ids.requireId(sessionId, "session_id");
        toolResults = toolResults == null ? List.of() : List.copyOf(toolResults);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        for (ToolResult result : toolResults) {
            Objects.requireNonNull(result, "an entry of tool_results is empty");
            StorableText.require("tool_results.content", result.text());
        }
        for (Approval approval : approvals) {
            Objects.requireNonNull(approval, "an entry of approvals is empty");
            StorableText.require("approvals.reason", approval.reason());
        }
    }
}
