package io.sessionflow.client.kafka;

/** How a run ended, as announced on {@code runs.completed} or {@code runs.failed}. */
public sealed interface RunOutcome permits RunCompletedEvent, RunFailedEvent {

    String runId();

    String sessionId();
}
