package io.sessionflow.gateway.openai;

import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.ErrorBody;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refusals in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with the
 * status codes of the native API (the SDKs pick their exception class by status). {@code param} is
 * the field the native error names; {@code code} its code.
 */
final class OpenAiErrors {

    static final ErrorBody BODY = OpenAiErrors::render;

    private OpenAiErrors() {
    }

    static Object render(ApiException error) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", error.getMessage());
        detail.put("type", type(error.status()));
        detail.put("param", error.field());
        detail.put("code", error.code());
        return Map.of("error", detail);
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
