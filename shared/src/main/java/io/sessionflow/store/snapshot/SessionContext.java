package io.sessionflow.store.snapshot;

import java.time.Instant;
import java.util.List;

/** A session-context snapshot: summary, and in planning mode goal, plan and progress; covering runs up to {@code upToRunIndex}. */
public record SessionContext(String sessionId, String summary, String goal, List<String> plan, List<String> progress,
                             int upToRunIndex, String promptVersion, Instant updatedAt) implements Snapshot {
    public SessionContext {
        plan = List.copyOf(plan);
        progress = List.copyOf(progress);
    }
}
