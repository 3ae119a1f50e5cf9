package io.sessionflow.store.usage;

/** Counts over a window: runs (completed and failed), failed runs, and the tokens of completed runs. */
public record UsageTotals(long runs, long failedRuns, long inputTokens, long outputTokens) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0);

    public UsageTotals plus(UsageTotals other) {
        return new UsageTotals(runs + other.runs, failedRuns + other.failedRuns, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens);
    }
}
