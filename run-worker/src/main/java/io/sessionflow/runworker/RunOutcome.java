package io.sessionflow.runworker;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunPaused;

/** What processing a run request came to: the event to emit, if any. */
public sealed interface RunOutcome {

    record Completed(RunCompleted event) implements RunOutcome {
    }

    record Failed(RunFailed event) implements RunOutcome {
    }

    /** The run waits for tool results or approvals; it is stored as paused and announced on {@code runs.paused}. */
    record Paused(RunPaused event) implements RunOutcome {
    }

    /** The run waits, parked in Postgres, behind its session's paused run; nothing is announced yet. */
    record Parked() implements RunOutcome {
    }
}
