package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The server answered an error: its JSON {@code {"error": {"status", "code", "message", "field"?}}} is
 * kept whole. {@link #of} picks the subclass by status, so callers catch what they can handle.
 */
public class ApiErrorException extends SessionflowClientException {

    private final int status;
    private final String code;
    private final String field;
    private final JsonNode body;

    protected ApiErrorException(int status, JsonNode body) {
        super(status + " " + body.path("error").path("code").asText("unknown") + ": " + body.path("error").path("message").asText(""));
        this.status = status;
        this.code = body.path("error").path("code").asText(null);
        this.field = body.path("error").path("field").asText(null);
        this.body = body;
    }

    static ApiErrorException of(int status, JsonNode body, Optional<Integer> retryAfterSeconds) {
        return switch (status) {
            case 400 -> new BadRequestException(status, body);
            case 401 -> new UnauthorizedException(status, body);
            case 403 -> new ForbiddenException(status, body);
            case 404 -> new NotFoundException(status, body);
            case 409 -> new ConflictException(status, body);
            case 429, 503 -> new RetryLaterException(status, body, retryAfterSeconds);
            default -> new ApiErrorException(status, body);
        };
    }

    public int status() {
        return status;
    }

    /** The server's error code, e.g. {@code backlog_full}, {@code session_conflict}. */
    public String code() {
        return code;
    }

    /** The request field the error names, when it names one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The server's JSON answer, whole. */
    public JsonNode body() {
        return body;
    }

    /** 400: invalid input; {@link #field()} names the field. */
    public static final class BadRequestException extends ApiErrorException {
        BadRequestException(int status, JsonNode body) {
            super(status, body);
        }
    }

    /** 401: no key, or a wrong one. */
    public static final class UnauthorizedException extends ApiErrorException {
        UnauthorizedException(int status, JsonNode body) {
            super(status, body);
        }
    }

    /** 403: the key may not do this (a user key acting for another user, or an admin-only route). */
    public static final class ForbiddenException extends ApiErrorException {
        ForbiddenException(int status, JsonNode body) {
            super(status, body);
        }
    }

    /** 404: not found, or not yours. */
    public static final class NotFoundException extends ApiErrorException {
        NotFoundException(int status, JsonNode body) {
            super(status, body);
        }
    }

    /** 409: the session belongs to another component, the run has finished, an Idempotency-Key reused for another request. */
    public static final class ConflictException extends ApiErrorException {
        ConflictException(int status, JsonNode body) {
            super(status, body);
        }
    }
}
