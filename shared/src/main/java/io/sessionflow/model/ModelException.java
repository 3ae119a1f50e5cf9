package io.sessionflow.model;

import io.sessionflow.SessionflowException;
import java.time.Duration;
import java.util.Optional;

/** A model call that failed; {@code transient} says whether trying again may succeed. */
public final class ModelException extends SessionflowException {

    private final boolean transientFailure;
    private final Duration retryAfter;

    public ModelException(String message, boolean transientFailure, Throwable cause) {
        this(message, transientFailure, null, cause);
    }

    /** @param retryAfter how long the provider asked us to wait ({@code Retry-After}), or null */
    public ModelException(String message, boolean transientFailure, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
