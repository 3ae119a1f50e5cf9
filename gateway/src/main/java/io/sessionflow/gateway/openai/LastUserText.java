package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.gateway.http.ApiException;

/**
 * The new turn's text in an OpenAI request: the input string, or the last user message among the
 * items. The history is the server's (the session's runs), so earlier items a client sends along,
 * as clients that keep their own history do, are not used again.
 */
final class LastUserText {

    private LastUserText() {
    }

    /** From {@code input} (Responses) or {@code messages} (Chat Completions): a string, or an array of message items. */
    static String of(JsonNode input, String param) {
        if (input == null || input.isNull()) {
            throw ApiException.badRequest(param, param + " is required");
        }
        if (input.isTextual()) {
            return input.asText();
        }
        if (!input.isArray()) {
            throw ApiException.badRequest(param, param + " must be a string or an array of message items");
        }
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if (item.isObject() && "user".equals(item.path("role").asText()) && item.path("type").asText("message").equals("message")) {
                return text(item.get("content"), param + "[" + i + "].content");
            }
        }
        throw ApiException.badRequest(param, param + " holds no user message");
    }

    /** A message's content: a string, or text parts ({@code input_text}, or {@code text} in chat messages). */
    private static String text(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw ApiException.badRequest(param, param + " must be a string or an array of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (!type.equals("input_text") && !type.equals("text") || !part.path("text").isTextual()) {
                throw ApiException.badRequest(param + "[" + i + "]", param + "[" + i + "] must be a text part: only text is supported");
            }
            text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
        }
        return text.toString();
    }
}
