package io.sessionflow.event;

import java.time.Instant;
import java.util.List;

/** A session's summary now covers its runs up to {@code up_to_run_index}. */
public record SummaryUpdated(int schemaVersion, String sessionId, int upToRunIndex, String summary, List<String> topics,
                             String promptVersion, String model, Instant updatedAt) implements SessionChanged {

    public static final int SCHEMA_VERSION = 1;

    public SummaryUpdated {
        Ids.requireId(sessionId, "session_id");
        topics = topics == null ? List.of() : List.copyOf(topics);
    }
}
