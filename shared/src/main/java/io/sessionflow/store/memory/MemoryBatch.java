package io.sessionflow.store.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What extraction decided from runs {@code fromRunIndex..upToRunIndex} of one session: memory
 * operations and a profile patch (null: unchanged), applied together with the session's progress.
 */
public record MemoryBatch(String userId, String sessionId, int fromRunIndex, int upToRunIndex, List<MemoryOp> ops, ObjectNode profilePatch) {

    public MemoryBatch {
        Objects.requireNonNull(userId, "null user_id");
        Objects.requireNonNull(sessionId, "null session_id");
        if (fromRunIndex < 1 || upToRunIndex < fromRunIndex) {
            throw new IllegalArgumentException("runs " + fromRunIndex + ".." + upToRunIndex + " are not a range");
        }
        ops = ops == null ? List.of() : List.copyOf(ops);
        profilePatch = profilePatch == null || profilePatch.isEmpty() ? null : profilePatch.deepCopy();
    }
}
