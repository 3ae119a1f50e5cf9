package io.sessionflow.store.memory;

import java.util.List;
import java.util.Objects;

/**
 * One change to a user's memories, as extraction (or a hand edit) decides it against the memories
 * that exist: add a new fact, update an existing one (its text, its topics, or only its timestamp when
 * the fact is said again), or delete one that no longer holds. Origin: the session and run it came from.
 */
public record MemoryOp(Kind kind, String memoryId, String memory, List<String> topics, String sessionId, String runId) {

    public enum Kind { ADD, UPDATE, DELETE }

    public static final int MAX_LENGTH = 2000;

    public MemoryOp {
        Objects.requireNonNull(kind, "null kind");
        if (kind != Kind.ADD) {
            Objects.requireNonNull(memoryId, "an update or delete names its memory_id");
        }
        if (kind != Kind.DELETE) {
            if (memory == null || memory.isBlank()) {
                throw new IllegalArgumentException("a memory's text must not be blank");
            }
            memory = memory.strip();
            if (memory.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("a memory is at most " + MAX_LENGTH + " characters");
            }
        }
        topics = topics == null ? List.of() : topics.stream().map(t -> t.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(t -> !t.isEmpty()).distinct().toList();
    }

    public static MemoryOp add(String memory, List<String> topics, String sessionId, String runId) {
        return new MemoryOp(Kind.ADD, null, memory, topics, sessionId, runId);
    }

    public static MemoryOp update(String memoryId, String memory, List<String> topics, String sessionId, String runId) {
        return new MemoryOp(Kind.UPDATE, memoryId, memory, topics, sessionId, runId);
    }

    public static MemoryOp delete(String memoryId) {
        return new MemoryOp(Kind.DELETE, memoryId, null, null, null, null);
    }
}
