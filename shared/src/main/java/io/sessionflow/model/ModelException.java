package io.sessionflow.model;

/** A model call that failed; {@code transient} says whether trying again may succeed. */
public final class ModelException extends RuntimeException {

    private final boolean transientFailure;

    public ModelException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
