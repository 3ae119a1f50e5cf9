package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.json.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /v1/agents/{id}/runs} and {@code /v1/teams/{id}/runs}, validated
 * strictly: every problem is a 400 that names the field, and unknown fields are refused rather than
 * silently ignored.
 */
record RunRequestBody(String message, String sessionId, String userId, ObjectNode sessionState, boolean overwriteSessionState,
                      RunOverrides overrides) {

    private static final Set<String> FIELDS = Set.of("message", "session_id", "user_id", "session_state", "overwrite_session_state", "overrides");
    private static final Set<String> OVERRIDE_FIELDS = Set.of("add_history_to_context", "num_history_runs", "num_history_messages",
            "add_session_state_to_context");

    static RunRequestBody parse(JsonNode body, GatewaySettings limits) {
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
        rejectUnknown(object, FIELDS, "");
        String message = requiredText(object, "message");
        if (message.isBlank()) {
            throw ApiException.badRequest("message", "message must not be empty");
        }
        if (message.length() > limits.maxMessageChars()) {
            throw ApiException.badRequest("message", "message is longer than " + limits.maxMessageChars() + " characters");
        }
        String sessionId = optionalId(object, "session_id");
        String userId = optionalId(object, "user_id");
        ObjectNode state = null;
        JsonNode stateNode = object.get("session_state");
        if (stateNode != null && !stateNode.isNull()) {
            if (!(stateNode instanceof ObjectNode stateObject)) {
                throw ApiException.badRequest("session_state", "session_state must be a JSON object, not " + describe(stateNode));
            }
            if (Json.toBytes(stateObject).length > limits.maxStateBytes()) {
                throw ApiException.badRequest("session_state", "session_state is larger than " + limits.maxStateBytes() + " bytes");
            }
            state = stateObject;
        }
        boolean overwrite = optionalBoolean(object, "overwrite_session_state", "overwrite_session_state");
        return new RunRequestBody(message, sessionId, userId, state, overwrite, overrides(object.get("overrides")));
    }

    private static RunOverrides overrides(JsonNode node) {
        if (node == null || node.isNull()) {
            return RunOverrides.NONE;
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("overrides", "overrides must be a JSON object");
        }
        rejectUnknown(object, OVERRIDE_FIELDS, "overrides.");
        JsonNode history = object.get("add_history_to_context");
        JsonNode state = object.get("add_session_state_to_context");
        return new RunOverrides(
                history == null || history.isNull() ? null : optionalBoolean(object, "add_history_to_context", "overrides.add_history_to_context"),
                optionalCount(object, "num_history_runs"),
                optionalCount(object, "num_history_messages"),
                state == null || state.isNull() ? null : optionalBoolean(object, "add_session_state_to_context", "overrides.add_session_state_to_context"));
    }

    private static void rejectUnknown(ObjectNode object, Set<String> known, String prefix) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(prefix + name, "unknown field '" + prefix + name + "'");
            }
        }
    }

    private static String requiredText(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, not " + describe(node));
        }
        return node.asText();
    }

    private static String optionalId(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !Ids.isValid(node.asText())) {
            throw ApiException.badRequest(field, field + " must be a string of 1-128 letters, digits and . _ : @ -");
        }
        return node.asText();
    }

    private static boolean optionalBoolean(ObjectNode object, String field, String name) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(name, name + " must be true or false, not " + describe(node));
        }
        return node.asBoolean();
    }

    private static Integer optionalCount(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0 || node.asInt() > 1000) {
            throw ApiException.badRequest("overrides." + field, "overrides." + field + " must be a whole number from 0 to 1000");
        }
        return node.asInt();
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
