package io.sessionflow.runworker.tool;

import io.sessionflow.runworker.store.ToolCallLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ToolDefinition;
import io.sessionflow.json.Json;
import io.sessionflow.model.ToolCall;
import io.sessionflow.model.ToolSpec;
import io.sessionflow.outbound.PinnedHttpPost;
import io.sessionflow.outbound.RefusedTargetException;
import io.sessionflow.outbound.RequestSignature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Executes one tool call: the built-in agentic-state tool on the run's working state, or an HTTP tool by a signed POST. */
public final class ToolExecutor {

    /** A call's outcome: its status for the log, and the result the model reads. */
    public record Outcome(ToolCallLog.Status status, String result) {
    }

    private static final ObjectNode UPDATE_SESSION_STATE_SCHEMA = (ObjectNode) Json.parse("""
            {"type": "object",
             "properties": {"session_state_updates": {"type": "object",
               "description": "Top-level keys of the session state to set, each replaced by its new value"}},
             "required": ["session_state_updates"]}""");

    private final ToolSettings settings;
    private final PinnedHttpPost http;

    public ToolExecutor(ToolSettings settings) {
        this.settings = settings;
        this.http = new PinnedHttpPost(settings.targets(), settings.timeout());
    }

    public ToolSettings settings() {
        return settings;
    }

    /** The tools a component's model is offered. */
    public static List<ToolSpec> specs(ComponentDefinition component) {
        List<ToolSpec> specs = new ArrayList<>();
        if (component.enableAgenticState()) {
            specs.add(new ToolSpec(ComponentDefinition.UPDATE_SESSION_STATE,
                    "Update the session state: each top-level key given is set to its new value; other keys are kept.",
                    UPDATE_SESSION_STATE_SCHEMA.deepCopy()));
        }
        component.tools().forEach(tool -> specs.add(tool.spec()));
        return specs;
    }

    /** Whether the call only changes the run's working state: replaying it is safe, and it is not logged as started. */
    public static boolean changesStateOnly(ComponentDefinition component, ToolCall call) {
        return component.enableAgenticState() && ComponentDefinition.UPDATE_SESSION_STATE.equals(call.name());
    }

    public static Optional<ToolDefinition> httpTool(ComponentDefinition component, String name) {
        return component.tools().stream().filter(tool -> tool.name().equals(name) && tool.isHttp()).findFirst();
    }

    /**
     * Agno's {@code update_session_state}: a shallow set of the given top-level keys on {@code state}.
     * Arguments that are not {@code {"session_state_updates": {...}}} change nothing and say why.
     */
    public static Outcome updateSessionState(ToolCall call, ObjectNode state) {
        JsonNode updates;
        try {
            updates = Json.parse(call.arguments()).path("session_state_updates");
        } catch (IllegalArgumentException e) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: the arguments are not JSON: " + e.getMessage());
        }
        if (!updates.isObject()) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: session_state_updates must be an object");
        }
        updates.fields().forEachRemaining(field -> state.set(field.getKey(), field.getValue().deepCopy()));
        return new Outcome(ToolCallLog.Status.COMPLETED, "Updated session state: " + Json.toText(state));
    }

    /**
     * POSTs the arguments to the tool's URL, signed like a webhook ({@code X-Sessionflow-Signature}
     * over {@code <timestamp>.<body>}), with the call id as an idempotency key. A 2xx answer's body is
     * the result; anything else is a failed call, reported to the model and not retried.
     */
    public Outcome callHttp(ToolDefinition tool, ToolCall call, String runId) {
        if (settings.secret() == null) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: not called, no secret is configured to sign HTTP tool calls");
        }
        byte[] body;
        try {
            body = Json.toBytes(Json.parse(call.arguments()));
        } catch (IllegalArgumentException e) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: the arguments are not JSON: " + e.getMessage());
        }
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Sessionflow-Tool", tool.name());
        headers.put("X-Sessionflow-Run-Id", runId);
        headers.put("X-Sessionflow-Tool-Call-Id", call.id());
        headers.put("X-Sessionflow-Timestamp", timestamp);
        headers.put("X-Sessionflow-Signature", RequestSignature.sign(settings.secret(), timestamp, body));
        try {
            PinnedHttpPost.Answer answer = http.postForAnswer(tool.url(), headers, body);
            if (answer.status() / 100 == 2) {
                return new Outcome(ToolCallLog.Status.COMPLETED, answer.body());
            }
            return new Outcome(ToolCallLog.Status.FAILED, "error: the tool answered HTTP " + answer.status() + ": " + answer.body());
        } catch (RefusedTargetException e) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: the tool's address is refused: " + e.getMessage());
        } catch (IOException e) {
            return new Outcome(ToolCallLog.Status.FAILED, "error: the tool could not be reached or did not answer: " + e.getMessage());
        }
    }
}
