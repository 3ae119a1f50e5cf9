package io.sessionflow.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a model for JSON following a schema and validates what comes back. Malformed output and
 * transient failures are retried a bounded number of times; then the request is skipped with the
 * reason logged, and the caller keeps what it had: garbage never replaces good data.
 */
public final class StructuredOutput {

    private static final Logger log = LoggerFactory.getLogger(StructuredOutput.class);

    private StructuredOutput() {
    }

    /**
     * @param parse turns the parsed JSON into a value, throwing {@link ModelOutputException} when it breaks the schema
     * @return the value, or empty when every attempt failed
     */
    public static <T> Optional<T> request(ChatModel model, List<ChatMessage> prompt, String schemaName, ObjectNode schema,
                                          int attempts, Function<JsonNode, T> parse, String what) {
        String lastProblem = "no attempt";
        int made = 0;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            made = attempt;
            try {
                ModelReply reply = model.completeJson(prompt, schemaName, schema);
                JsonNode json;
                try {
                    json = Json.parse(reply.content());
                } catch (IllegalArgumentException e) {
                    throw new ModelOutputException("output is not JSON: " + abbreviate(reply.content()));
                }
                return Optional.of(parse.apply(json));
            } catch (ModelOutputException e) {
                lastProblem = "malformed output: " + e.getMessage();
            } catch (ModelException e) {
                lastProblem = e.getMessage();
                if (!e.isTransient()) {
                    break;
                }
            }
            log.warn("{}: attempt {} of {} failed: {}", what, attempt, attempts, lastProblem);
        }
        log.warn("{}: skipped after {} attempt(s), the stored data is kept: {}", what, made, lastProblem);
        return Optional.empty();
    }

    /** A required non-blank string field. */
    public static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ModelOutputException("'" + field + "' must be a non-empty string");
        }
        return value.asText().strip();
    }

    /** A string field that may be null (meaning "unchanged"). */
    public static String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ModelOutputException("'" + field + "' must be a string or null");
        }
        return value.asText().strip();
    }

    /** An array of strings that may be null (meaning "unchanged"); blank items are dropped. */
    public static List<String> optionalStrings(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new ModelOutputException("'" + field + "' must be an array of strings or null");
        }
        List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new ModelOutputException("'" + field + "' must hold only strings");
            }
            if (!item.asText().isBlank()) {
                items.add(item.asText().strip());
            }
        }
        return items;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
