package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.JsonFields;
import java.util.Set;

/**
 * The body of {@code POST /v1/agents/{id}/runs} and {@code /v1/teams/{id}/runs}, validated
 * strictly: every problem is a 400 that names the field, and unknown fields are refused rather than
 * silently ignored.
 */
public record RunRequestBody(String message, String sessionId, String userId, ObjectNode sessionState, boolean overwriteSessionState,
                      RunOverrides overrides, String webhookUrl) {

    private static final Set<String> FIELDS = Set.of("message", "session_id", "user_id", "session_state", "overwrite_session_state", "overrides",
            "webhook_url");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("add_history_to_context", "num_history_runs", "num_history_messages",
            "add_session_state_to_context");

    static RunRequestBody parse(JsonNode body, GatewaySettings limits) {
        ObjectNode object = JsonFields.object(body, FIELDS);
        String message = JsonFields.requiredText(object, "message");
        if (message.isBlank()) {
            throw ApiException.badRequest("message", "message must not be empty");
        }
        if (message.length() > limits.maxMessageChars()) {
            throw ApiException.badRequest("message", "message is longer than " + limits.maxMessageChars() + " characters");
        }
        return new RunRequestBody(message, JsonFields.optionalId(object, "session_id"), JsonFields.optionalId(object, "user_id"),
                JsonFields.optionalObject(object, "session_state", limits.maxStateBytes()),
                JsonFields.optionalBoolean(object, "overwrite_session_state", "overwrite_session_state"),
                overrides(object.get("overrides")), webhookUrl(object));
    }

    private static String webhookUrl(ObjectNode object) {
        String url = JsonFields.optionalText(object, "webhook_url", 2048);
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            if (uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw ApiException.badRequest("webhook_url", "webhook_url must be an absolute http or https URL");
    }

    private static RunOverrides overrides(JsonNode node) {
        if (node == null || node.isNull()) {
            return RunOverrides.NONE;
        }
        if (!(node instanceof ObjectNode)) {
            throw ApiException.badRequest("overrides", "overrides must be a JSON object");
        }
        ObjectNode object;
        try {
            object = JsonFields.object(node, OVERRIDE_FIELDS);
        } catch (ApiException e) {
            throw ApiException.badRequest("overrides." + e.field(), "unknown field 'overrides." + e.field() + "'");
        }
        return new RunOverrides(
                flag(object, "add_history_to_context"),
                optionalCount(object, "num_history_runs"),
                optionalCount(object, "num_history_messages"),
                flag(object, "add_session_state_to_context"));
    }

    private static Boolean flag(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : JsonFields.optionalBoolean(object, field, "overrides." + field);
    }

    private static Integer optionalCount(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > 1000) {
            throw ApiException.badRequest("overrides." + field, "overrides." + field + " must be a whole number from 0 to 1000");
        }
        return node.asInt();
    }
}
