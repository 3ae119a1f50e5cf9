package io.sessionflow.runworker.prompt;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.RunOverrides;

/** A component's context flags after a run's overrides are applied. */
public record PromptFlags(boolean addHistoryToContext, int numHistoryRuns, Integer numHistoryMessages, boolean addSessionStateToContext) {

    public static PromptFlags of(ComponentDefinition component, RunOverrides overrides) {
        return new PromptFlags(
                overrides.addHistoryToContext() != null ? overrides.addHistoryToContext() : component.addHistoryToContext(),
                overrides.numHistoryRuns() != null ? overrides.numHistoryRuns() : component.numHistoryRuns(),
                overrides.numHistoryMessages() != null ? overrides.numHistoryMessages() : component.numHistoryMessages(),
                overrides.addSessionStateToContext() != null ? overrides.addSessionStateToContext() : component.addSessionStateToContext());
    }

    /**
     * How many of the latest completed runs to read. Each completed run holds one user and one
     * assistant message, so a message budget needs half as many runs, rounded up.
     */
    public int historyRunsToLoad() {
        if (!addHistoryToContext) {
            return 0;
        }
        return numHistoryMessages != null ? (numHistoryMessages + 1) / 2 : numHistoryRuns;
    }
}
