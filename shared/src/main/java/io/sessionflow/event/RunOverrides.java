package io.sessionflow.event;

/**
 * Per-run overrides of a component's session flags. Every field is optional: null means "as the
 * component is configured".
 */
public record RunOverrides(
        Boolean addHistoryToContext,
        Integer numHistoryRuns,
        Integer numHistoryMessages,
        Boolean addSessionStateToContext) {

    public static final RunOverrides NONE = new RunOverrides(null, null, null, null);

    public RunOverrides {
        if (numHistoryRuns != null && numHistoryRuns < 0) {
            throw new IllegalArgumentException("overrides.num_history_runs must be >= 0");
        }
        if (numHistoryMessages != null && numHistoryMessages < 0) {
            throw new IllegalArgumentException("overrides.num_history_messages must be >= 0");
        }
    }
}
