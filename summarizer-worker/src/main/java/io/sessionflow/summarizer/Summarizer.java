package io.sessionflow.summarizer;

import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.List;
import java.util.Optional;

/** Folds new runs into a session's summary. */
interface Summarizer {

    /** Recorded with each summary. */
    String modelId();

    /**
     * @param previous the stored summary, or null for a session's first
     * @param newRuns  the completed runs after the previous summary's {@code up_to_run_index}, oldest first
     * @return the new summary, or empty when the model could not produce a valid one (logged)
     */
    Optional<SummaryDraft> summarize(SessionSummary previous, List<RunTurns> newRuns);
}
