package io.sessionflow.context;

import io.sessionflow.store.snapshot.SessionContext;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot update as an extractor produced it. Null goal, plan or progress means "unchanged": in
 * planning mode a field the model leaves out keeps its old value.
 */
record ContextDraft(String summary, String goal, List<String> plan, List<String> progress) {

    SessionContext applyTo(SessionContext previous, String sessionId, int upToRunIndex, String promptVersion, Instant now) {
        return new SessionContext(sessionId, summary,
                goal != null ? goal : previous == null ? null : previous.goal(),
                plan != null ? plan : previous == null ? List.of() : previous.plan(),
                progress != null ? progress : previous == null ? List.of() : previous.progress(),
                upToRunIndex, promptVersion, now);
    }
}
