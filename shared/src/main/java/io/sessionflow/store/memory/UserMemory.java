package io.sessionflow.store.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One fact about a user, with the session and run it came from (null for a memory added by hand). */
public record UserMemory(String memoryId, String userId, String memory, List<String> topics, String sessionId, String runId,
                         Instant createdAt, Instant updatedAt) {

    public UserMemory {
        Objects.requireNonNull(memoryId, "null memory_id");
        Objects.requireNonNull(userId, "null user_id");
        Objects.requireNonNull(memory, "null memory");
        topics = topics == null ? List.of() : List.copyOf(topics);
    }
}
