package io.sessionflow.runworker;

/** The session moved on while this run was executing (another worker committed first): the commit was fenced off. */
final class StaleSessionException extends RuntimeException {
    StaleSessionException(String sessionId, long expectedVersion) {
        super("session " + sessionId + " is no longer at version " + expectedVersion);
    }
}
