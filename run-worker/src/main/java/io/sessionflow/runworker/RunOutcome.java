package io.sessionflow.runworker;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;

/** What processing a run request came to: the event to emit. */
public sealed interface RunOutcome {

    record Completed(RunCompleted event) implements RunOutcome {
    }

    record Failed(RunFailed event) implements RunOutcome {
    }
}
