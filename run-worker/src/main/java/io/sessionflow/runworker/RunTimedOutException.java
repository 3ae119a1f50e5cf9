package io.sessionflow.runworker;

import io.sessionflow.SessionflowException;
import java.time.Duration;

/** The run's time budget ({@code SESSIONFLOW_RUN_TIMEOUT_SECONDS}) ran out. */
final class RunTimedOutException extends SessionflowException {
    RunTimedOutException(Duration budget) {
        super("timed out after " + budget.toSeconds() + " s", null, false, false);
    }
}
