package io.sessionflow.runworker;

import io.sessionflow.SessionflowException;

/** The run was cancelled (by {@code POST /v1/runs/{id}/cancel}) while its model call was in flight. */
final class RunCancelledException extends SessionflowException {
    RunCancelledException(String runId) {
        super("run " + runId + " was cancelled", null, false, false);
    }
}
