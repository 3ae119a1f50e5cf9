package io.sessionflow.run;

import io.sessionflow.SessionflowException;

/**
 * A run addressed to an existing session that is not the requester's: another user's (answered as
 * "not found", so no existence leaks), or one kept by another agent or team.
 */
public final class SessionMismatchException extends SessionflowException {

    public enum Kind { OTHER_USER, OTHER_COMPONENT }

    private final Kind kind;

    public SessionMismatchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
