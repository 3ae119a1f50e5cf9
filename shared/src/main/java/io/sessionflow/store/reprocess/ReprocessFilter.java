package io.sessionflow.store.reprocess;

import java.time.Instant;
import java.util.List;

/** Which sessions a reprocessing job covers; every field optional. Ranges are [from, to). */
public record ReprocessFilter(String userId, String componentId, List<String> sessionIds, Instant createdFrom, Instant createdTo,
                              Instant updatedFrom, Instant updatedTo) {
    public ReprocessFilter {
        sessionIds = sessionIds == null ? null : List.copyOf(sessionIds);
    }
}
