package io.sessionflow.run;

import io.sessionflow.SessionflowException;

/**
 * Answers to a paused run that cannot be taken: the run is unknown ({@link Reason#NOT_FOUND}), not
 * paused ({@link Reason#NOT_PAUSED}), or the answers do not match its pending calls
 * ({@link Reason#INVALID}, naming the field). Nothing was stored.
 */
public final class ContinuationRefusedException extends SessionflowException {

    public enum Reason { NOT_FOUND, NOT_PAUSED, INVALID }

    private final Reason reason;
    private final String field;

    public ContinuationRefusedException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The body field at fault ({@code tool_results[0].call_id}), or null. */
    public String field() {
        return field;
    }
}
