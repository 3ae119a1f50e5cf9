package io.sessionflow.runworker.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code {key}} with the session state's value, then with {@code user_id}. Unknown
 * placeholders stay exactly as written, and nothing is evaluated: only plain identifiers match.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Placeholders() {
    }

    public static String render(String template, ObjectNode state, String userId) {
        if (template == null || template.indexOf('{') < 0) {
            return template;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = lookup(key, state, userId);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String lookup(String key, ObjectNode state, String userId) {
        JsonNode value = state == null ? null : state.get(key);
        if (value != null && !value.isMissingNode()) {
            return value.isValueNode() ? value.asText() : value.toString();
        }
        if ("user_id".equals(key)) {
            return userId;
        }
        return null;
    }
}
