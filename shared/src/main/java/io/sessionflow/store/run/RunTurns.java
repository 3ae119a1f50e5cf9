package io.sessionflow.store.run;

/** The user message and the answer of one completed top-level run, with its place in the session. */
public record RunTurns(int runIndex, String userMessage, String answer) {
}
