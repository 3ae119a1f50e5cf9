package io.sessionflow.runworker;

import io.sessionflow.SessionflowException;

/** The session moved on while this run was executing (another worker committed first): the commit was fenced off. */
final class StaleSessionException extends SessionflowException {
    StaleSessionException(String sessionId, long expectedVersion) {
        super("session " + sessionId + " is no longer at version " + expectedVersion);
    }
}
