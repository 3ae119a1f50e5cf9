package io.sessionflow.store.snapshot;

import java.time.Instant;
import java.util.List;

/** A session's summary, covering its runs up to {@code upToRunIndex}. */
public record SessionSummary(String sessionId, String summary, List<String> topics, int upToRunIndex, String promptVersion,
                             String model, Instant updatedAt) implements Snapshot {
    public SessionSummary {
        topics = List.copyOf(topics);
    }
}
