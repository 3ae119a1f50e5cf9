package io.sessionflow.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a call answered 429 or 503 is tried again. The wait is the server's Retry-After when it
 * sends one (it knows when its backlog drains), else {@code fallbackWait}; never more than
 * {@code maxWait}, so that a server asking for minutes cannot hang the caller.
 *
 * @param maxAttempts  tries in all, at least 1 (1: no retry)
 * @param fallbackWait the wait when the answer has no Retry-After
 * @param maxWait      the longest single wait
 */
public record RetryPolicy(int maxAttempts, Duration fallbackWait, Duration maxWait) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_FALLBACK_WAIT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_FALLBACK_WAIT, DEFAULT_MAX_WAIT);
    public static final RetryPolicy NONE = new RetryPolicy(1, DEFAULT_FALLBACK_WAIT, DEFAULT_MAX_WAIT);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        Objects.requireNonNull(fallbackWait, "null fallbackWait");
        Objects.requireNonNull(maxWait, "null maxWait");
    }

    Duration waitBefore(Integer retryAfterSeconds) {
        Duration wait = retryAfterSeconds == null ? fallbackWait : Duration.ofSeconds(retryAfterSeconds);
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }
}
