package io.sessionflow.event;

import java.time.Instant;
import java.util.List;

/** A session's context snapshot now covers its runs up to {@code up_to_run_index}. */
public record ContextUpdated(int schemaVersion, String sessionId, int upToRunIndex, String summary, String goal,
                             List<String> plan, List<String> progress, String promptVersion, Instant updatedAt) implements SessionChanged {

    public static final int SCHEMA_VERSION = 1;

    public ContextUpdated {
        Ids.requireId(sessionId, "session_id");
        plan = plan == null ? List.of() : List.copyOf(plan);
        progress = progress == null ? List.of() : List.copyOf(progress);
    }
}
