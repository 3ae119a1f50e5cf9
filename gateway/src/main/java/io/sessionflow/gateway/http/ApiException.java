package io.sessionflow.gateway.http;

import io.sessionflow.SessionflowException;

/** An answer other than success, sent as {@code {"error": {"status", "code", "message", "field"?}}}. */
public final class ApiException extends SessionflowException {

    private final int status;
    private final String code;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    public ApiException(int status, String code, String message, String field, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Sent as a {@code Retry-After} header when set (429, 503). */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
