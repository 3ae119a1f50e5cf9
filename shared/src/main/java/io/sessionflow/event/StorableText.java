package io.sessionflow.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for text that is stored: Postgres {@code text} and {@code jsonb} cannot hold a NUL
 * character, and a lone UTF-16 surrogate has no UTF-8 form (the JDBC driver and Jackson would
 * silently write {@code ?} for it). Such text is refused where it enters (a 400 over HTTP, a
 * dead letter from the topic) instead of failing, or being corrupted, when it is written.
 */
public final class StorableText {

    /** What is wrong with a text, and where (a field name, or a path into a JSON value). */
    public record Flaw(String where, String problem) {
        public String message() {
            return where + " " + problem;
        }
    }

    private StorableText() {
    }

    /** The problem with this text, if it cannot be stored as it is. */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains a NUL character (\\u0000), which cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("contains a lone surrogate (\\u%04x), which is not valid Unicode text", (int) c));
            }
        }
        return Optional.empty();
    }

    /** The first flaw in a text field. */
    public static Optional<Flaw> check(String field, String text) {
        return problem(text).map(problem -> new Flaw(field, problem));
    }

    /** The first flaw in any key or string value of a JSON value, however deeply nested. */
    public static Optional<Flaw> check(String field, JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return check(field, node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                Optional<Flaw> flaw = check(field + " key", entry.getKey()).or(() -> check(field + "." + entry.getKey(), entry.getValue()));
                if (flaw.isPresent()) {
                    return flaw;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Flaw> flaw = check(field + "[" + i + "]", node.get(i));
                if (flaw.isPresent()) {
                    return flaw;
                }
            }
        }
        return Optional.empty();
    }

    /** Refuses text that cannot be stored, as an {@link IllegalArgumentException} naming the field. */
    public static String require(String field, String text) {
        check(field, text).ifPresent(flaw -> {
            throw new IllegalArgumentException(flaw.message());
        });
        return text;
    }

    /** Refuses a JSON value holding text that cannot be stored, naming the field and where in it. */
    public static <T extends JsonNode> T require(String field, T node) {
        check(field, node).ifPresent(flaw -> {
            throw new IllegalArgumentException(flaw.message());
        });
        return node;
    }
}
