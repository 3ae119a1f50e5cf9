package io.sessionflow.runworker;

import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.model.ToolCall;

/**
 * Where a run's progress goes as it happens (for streaming), given to the processor when it is made. The processor knows nothing of Kafka.
 * Every step is a no-op unless a sink overrides it, so a sink says only what it listens to.
 */
public interface RunEventSink {

    RunEventSink NONE = new RunEventSink() {
    };

    default void started(RunRequested run) {
    }

    default void delta(RunRequested run, String text) {
    }

    /** The attempt failed and another follows: what was streamed of it is void. */
    default void retrying(RunRequested run, String reason) {
    }

    /** A tool call of the run is about to be executed (or its recorded result reused). */
    default void toolCallStarted(RunRequested run, ToolCall call) {
    }

    /** A tool call of the run has its result; {@code status} is completed, failed or interrupted. */
    default void toolCallCompleted(RunRequested run, ToolCall call, String status, String result) {
    }

    /** The run stopped to wait for tool results or approvals (the stream's {@code run_paused}). */
    default void paused(RunRequested run, RunPaused paused) {
    }

    /**
     * Sends a run's request through its session's lane again ({@code runs.requested}, keyed by session):
     * a parked run whose turn has come, or a paused run that was answered or ended from outside. The
     * session's worker, whichever it is, takes it in order with the session's other runs.
     */
    default void resend(RunRequested run) {
        throw new UnsupportedOperationException("this sink cannot send runs");
    }
}
