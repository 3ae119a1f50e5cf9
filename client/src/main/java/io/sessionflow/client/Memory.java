package io.sessionflow.client;

import java.time.Instant;
import java.util.List;

/** A user's memory: a fact with topics, learnt in a session or added by hand. */
public record Memory(String memoryId, String userId, String memory, List<String> topics, String sessionId, String runId, Instant createdAt,
                     Instant updatedAt) {
}
