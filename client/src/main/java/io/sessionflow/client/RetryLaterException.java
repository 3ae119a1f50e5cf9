package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** 429 (too many unfinished runs) or 503 (Kafka or Postgres unavailable), still so after the client's retries. */
public final class RetryLaterException extends ApiErrorException {

    private final Optional<Integer> retryAfterSeconds;

    RetryLaterException(int status, JsonNode body, Optional<Integer> retryAfterSeconds) {
        super(status, body);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The server's last Retry-After, in seconds. */
    public Optional<Integer> retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
