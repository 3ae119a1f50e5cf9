package io.sessionflow.store.memory;

/** A completed top-level run's user message and answer, with the session and run it belongs to. */
public record UserTurn(String sessionId, String runId, int runIndex, String userMessage, String answer) {
}
