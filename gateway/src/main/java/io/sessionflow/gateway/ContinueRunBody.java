package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.event.StorableText;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/runs/{id}/continue}: {@code tool_results} ({@code call_id}, {@code content})
 * and {@code approvals} ({@code call_id}, {@code approved}, {@code reason}?), checked for shape here (a
 * 400 naming the field); whether they fit the run's pending calls is checked against Postgres.
 */
record ContinueRunBody(List<RunContinuation.ToolResult> toolResults, List<RunContinuation.Approval> approvals) {

    private static final Set<String> FIELDS = Set.of("tool_results", "approvals");
    private static final Set<String> RESULT_FIELDS = Set.of("call_id", "content");
    private static final Set<String> APPROVAL_FIELDS = Set.of("call_id", "approved", "reason");

    static ContinueRunBody parse(JsonNode body, GatewaySettings limits) {
        ObjectNode object = JsonFields.object(body, FIELDS);
        List<RunContinuation.ToolResult> results = new ArrayList<>();
        List<ObjectNode> resultEntries = entries(object, "tool_results", RESULT_FIELDS);
        for (int i = 0; i < resultEntries.size(); i++) {
            ObjectNode entry = resultEntries.get(i);
            String field = "tool_results[" + i + "]";
            JsonNode content = entry.get("content");
            if (content == null) {
                throw ApiException.badRequest(field + ".content", field + ".content is required");
            }
            RunContinuation.ToolResult result = new RunContinuation.ToolResult(callId(entry, field), content);
            if (result.text().length() > limits.maxMessageChars()) {
                throw ApiException.badRequest(field + ".content", field + ".content is longer than " + limits.maxMessageChars() + " characters");
            }
            StorableText.problem(result.text()).ifPresent(problem -> {
                throw ApiException.badRequest(field + ".content", field + ".content " + problem);
            });
            results.add(result);
        }
        List<RunContinuation.Approval> approvals = new ArrayList<>();
        List<ObjectNode> approvalEntries = entries(object, "approvals", APPROVAL_FIELDS);
        for (int i = 0; i < approvalEntries.size(); i++) {
            ObjectNode entry = approvalEntries.get(i);
            String field = "approvals[" + i + "]";
            JsonNode approved = entry.get("approved");
            if (approved == null || !approved.isBoolean()) {
                throw ApiException.badRequest(field + ".approved", field + ".approved must be true or false"
                        + (approved == null ? "" : ", not " + JsonFields.describe(approved)));
            }
            approvals.add(new RunContinuation.Approval(callId(entry, field), approved.asBoolean(),
                    optionalText(entry, "reason", field + ".reason", limits.maxMessageChars())));
        }
        if (results.isEmpty() && approvals.isEmpty()) {
            throw ApiException.badRequest("tool_results", "give tool_results or approvals for the run's pending tool calls");
        }
        return new ContinueRunBody(results, approvals);
    }

    private static List<ObjectNode> entries(ObjectNode object, String field, Set<String> known) {
        JsonNode node = object.get(field);
        List<ObjectNode> entries = new ArrayList<>();
        if (node == null || node.isNull()) {
            return entries;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, field + " must be an array, not " + JsonFields.describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            String name = field + "[" + i + "]";
            if (!(node.get(i) instanceof ObjectNode entry)) {
                throw ApiException.badRequest(name, name + " must be a JSON object");
            }
            entry.fieldNames().forEachRemaining(key -> {
                if (!known.contains(key)) {
                    throw ApiException.badRequest(name + "." + key, "unknown field '" + name + "." + key + "'");
                }
            });
            entries.add(entry);
        }
        return entries;
    }

    private static String callId(ObjectNode entry, String field) {
        JsonNode id = entry.get("call_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > 256) {
            throw ApiException.badRequest(field + ".call_id", field + ".call_id must be the id of a pending tool call (a string)");
        }
        StorableText.problem(id.asText()).ifPresent(problem -> {
            throw ApiException.badRequest(field + ".call_id", field + ".call_id " + problem);
        });
        return id.asText();
    }

    private static String optionalText(ObjectNode entry, String key, String name, int maxChars) {
        JsonNode node = entry.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > maxChars) {
            throw ApiException.badRequest(name, name + " must be a string of at most " + maxChars + " characters");
        }
        StorableText.problem(node.asText()).ifPresent(problem -> {
            throw ApiException.badRequest(name, name + " " + problem);
        });
        return node.asText();
    }
}
