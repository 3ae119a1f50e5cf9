package io.sessionflow.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.event.StorableText;
import io.sessionflow.json.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** Strict reading of JSON request bodies: every problem is a 400 naming the field; unknown fields are refused. */
public final class JsonFields {

    private JsonFields() {
    }

    public static ObjectNode object(JsonNode body, Set<String> known) {
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(name, "unknown field '" + name + "'");
            }
        }
        return object;
    }

    public static String requiredText(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, not " + describe(node));
        }
        return storable(field, node.asText());
    }

    public static String optionalText(ObjectNode object, String field, int maxChars) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, not " + describe(node));
        }
        if (node.asText().length() > maxChars) {
            throw ApiException.badRequest(field, field + " is longer than " + maxChars + " characters");
        }
        return storable(field, node.asText());
    }

    public static String optionalId(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !Ids.isValid(node.asText())) {
            throw ApiException.badRequest(field, field + " must be a string of 1-128 letters, digits and . _ : @ -");
        }
        return node.asText();
    }

    /** A JSON object field (absent or null: null), at most {@code maxBytes} once serialized. */
    public static ObjectNode optionalObject(ObjectNode object, String field, int maxBytes) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!(node instanceof ObjectNode value)) {
            throw ApiException.badRequest(field, field + " must be a JSON object, not " + describe(node));
        }
        if (Json.toBytes(value).length > maxBytes) {
            throw ApiException.badRequest(field, field + " is larger than " + maxBytes + " bytes");
        }
        StorableText.check(field, value).ifPresent(flaw -> {
            throw ApiException.badRequest(field, flaw.message());
        });
        return value;
    }

    /** Text Postgres cannot hold (NUL, lone surrogates) is a 400 naming the field, not a 500 when it is stored. */
    private static String storable(String field, String text) {
        StorableText.problem(text).ifPresent(problem -> {
            throw ApiException.badRequest(field, field + " " + problem);
        });
        return text;
    }

    /** @param name the field's name in messages (for nested fields, its path) */
    public static boolean optionalBoolean(ObjectNode object, String field, String name) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(name, name + " must be true or false, not " + describe(node));
        }
        return node.asBoolean();
    }

    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
