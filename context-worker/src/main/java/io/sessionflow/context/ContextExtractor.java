package io.sessionflow.context;

import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.util.List;
import java.util.Optional;

/** Updates a session-context snapshot from the previous one and the new conversation, answers included. */
interface ContextExtractor {

    /**
     * @param previous the stored snapshot, or null
     * @param newRuns  the completed runs after it, oldest first: user and assistant turns
     * @param planning whether goal, plan and progress are kept too
     * @return the update, or empty when the model could not produce a valid one (logged)
     */
    Optional<ContextDraft> extract(SessionContext previous, List<RunTurns> newRuns, boolean planning);
}
