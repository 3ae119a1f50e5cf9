package io.sessionflow.runworker;

/** The run was cancelled (by {@code POST /v1/runs/{id}/cancel}) while its model call was in flight. */
final class RunCancelledException extends RuntimeException {
    RunCancelledException(String runId) {
        super("run " + runId + " was cancelled", null, false, false);
    }
}
