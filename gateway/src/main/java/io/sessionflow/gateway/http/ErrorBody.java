package io.sessionflow.gateway.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a refusal is written: the native {@code {"error": {"status", "code", "message", "field"?}}}, or
 * another API's shape where the gateway serves one (the OpenAI facade). The status code and the
 * rules behind it stay the same; only the body differs.
 */
@FunctionalInterface
public interface ErrorBody {

    Object render(ApiException error);

    /** Sessionflow's own error body. */
    ErrorBody NATIVE = error -> {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", error.status());
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) {
            detail.put("field", error.field());
        }
        return Map.of("error", detail);
    };
}
