package io.sessionflow.store.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import java.time.Instant;

/** A session row as stored. */
public record Session(
        String sessionId,
        ComponentType sessionType,
        String userId,
        String componentId,
        String sessionName,
        ObjectNode sessionState,
        ObjectNode metadata,
        int runCount,
        long version,
        Instant createdAt,
        Instant updatedAt) {
}
