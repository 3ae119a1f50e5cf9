package io.sessionflow;

/**
 * The root of every failure Sessionflow itself raises, so a caller can tell ours from a library's
 * or a bug's ({@link IllegalStateException}, {@link IllegalArgumentException} stay for those). Each
 * subclass lives in the feature package that raises it and says what failed.
 */
public abstract class SessionflowException extends RuntimeException {

    protected SessionflowException(String message) {
        super(message);
    }

    protected SessionflowException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For failures that are control flow (a cancelled or timed-out run): no stack trace, no suppression. */
    protected SessionflowException(String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
        super(message, cause, enableSuppression, writableStackTrace);
    }
}
