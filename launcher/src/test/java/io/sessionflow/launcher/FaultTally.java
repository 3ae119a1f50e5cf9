package io.sessionflow.launcher;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a fault scenario did with the runs it got accepted (202), counted from their rows as they are
 * now and from the model's calls. It does not wait: the caller waits a bounded time and then counts,
 * so a run that never finishes shows up here as lost instead of as a timeout that hides the count.
 *
 * @param missing accepted runs with no row at all
 * @param unfinished accepted runs whose row is still pending or running
 * @param calledMoreThanOnce runs whose model was called more than once (retries after a failed call
 *     included: the bound to compare with the runs in flight at the fault)
 * @param answeredMoreThanOnce runs the model answered successfully more than once: an answer produced twice
 */
record FaultTally(int accepted, long completed, long failed, long missing, long unfinished, long modelCalls,
                  long calledMoreThanOnce, long answeredMoreThanOnce) {

    /** Accepted and not finished: no row, or a row that never reached completed, failed or cancelled. */
    long lost() {
        return missing + unfinished;
    }

    /**
     * Reads the rows until every accepted run has finished or the wait is over, and returns them as they
     * are then. A run that never finishes ends the wait, not the count: it is then counted as lost.
     *
     * @param rows reads run_id to status for the rows that exist
     */
    static Map<String, String> awaitFinished(Collection<String> acceptedRunIds, Supplier<Map<String, String>> rows, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> statuses = rows.get();
        while (count(acceptedRunIds, statuses, Map.of(), Map.of()).lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            statuses = rows.get();
        }
        return statuses;
    }

    /**
     * @param statusByRunId the rows found, run_id to status; an accepted run absent here has no row
     * @param callsByRunId the model's calls per run, failed calls included
     * @param answersByRunId the model's successful answers per run
     */
    static FaultTally count(Collection<String> acceptedRunIds, Map<String, String> statusByRunId,
                            Map<String, Integer> callsByRunId, Map<String, Integer> answersByRunId) {
        Objects.requireNonNull(acceptedRunIds, "null accepted run ids");
        long completed = 0;
        long failed = 0;
        long missing = 0;
        long unfinished = 0;
        long modelCalls = 0;
        long calledMoreThanOnce = 0;
        long answeredMoreThanOnce = 0;
        for (String runId : acceptedRunIds) {
            String status = statusByRunId.get(runId);
            if (status == null) {
                missing++;
            } else {
                switch (status) {
                    case "completed" -> completed++;
                    case "failed", "cancelled" -> failed++;
                    default -> unfinished++;
                }
            }
            int calls = callsByRunId.getOrDefault(runId, 0);
            modelCalls += calls;
            if (calls > 1) {
                calledMoreThanOnce++;
            }
            if (answersByRunId.getOrDefault(runId, 0) > 1) {
                answeredMoreThanOnce++;
            }
        }
        return new FaultTally(acceptedRunIds.size(), completed, failed, missing, unfinished, modelCalls, calledMoreThanOnce, answeredMoreThanOnce);
    }
}
