package io.sessionflow.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Emitted on {@code users.changed}, keyed by user id, after a user's memories or profile changed:
 * the memory ids added, updated and deleted, and the profile's new version (null: unchanged).
 * {@code session_id} and {@code up_to_run_index} say which runs the change came from (null for a hand edit).
 */
public record MemoriesUpdated(int schemaVersion, String userId, List<String> added, List<String> updated, List<String> deleted,
                              Long profileVersion, String sessionId, Integer upToRunIndex, Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** A user's profile was changed by hand (an API call): a new version, no memory touched. */
    public static MemoriesUpdated profileChanged(String userId, long profileVersion, Instant at) {
        return new MemoriesUpdated(SCHEMA_VERSION, userId, List.of(), List.of(), List.of(), profileVersion, null, null, at);
    }

    public MemoriesUpdated {
        Objects.requireNonNull(userId, "user_id is required");
        added = added == null ? List.of() : List.copyOf(added);
        updated = updated == null ? List.of() : List.copyOf(updated);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
    }
}
