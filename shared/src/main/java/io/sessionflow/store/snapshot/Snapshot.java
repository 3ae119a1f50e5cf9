package io.sessionflow.store.snapshot;

/** Derived data of a session (a summary, a context snapshot): which runs it covers and with which prompt. */
public interface Snapshot {

    String sessionId();

    int upToRunIndex();

    String promptVersion();
}
