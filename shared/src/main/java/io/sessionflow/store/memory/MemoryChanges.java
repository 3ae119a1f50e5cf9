package io.sessionflow.store.memory;

import io.sessionflow.event.MemoriesUpdated;
import java.time.Instant;
import java.util.List;

/**
 * What applying operations changed: the ids added, updated and deleted, and the profile's new version
 * (null when the profile did not change). {@link #applied()} is false when a batch was already covered
 * (a redelivery, or another worker got there first) and nothing was written.
 */
public record MemoryChanges(boolean applied, List<String> added, List<String> updated, List<String> deleted, Long profileVersion) {

    public static final MemoryChanges NOT_APPLIED = new MemoryChanges(false, List.of(), List.of(), List.of(), null);

    public MemoryChanges {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
    }

    /** These changes as announced on {@code users.changed}, made by hand (an API call, a rebuild clearing the user). */
    public MemoriesUpdated announcement(String userId, Instant at) {
        return announcement(userId, null, null, at);
    }

    /** These changes as announced on {@code users.changed}, learnt from {@code sessionId}'s runs up to {@code upToRunIndex}. */
    public MemoriesUpdated announcement(String userId, String sessionId, Integer upToRunIndex, Instant at) {
        return new MemoriesUpdated(MemoriesUpdated.SCHEMA_VERSION, userId, added, updated, deleted, profileVersion, sessionId,
                upToRunIndex, at);
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && deleted.isEmpty() && profileVersion == null;
    }
}
