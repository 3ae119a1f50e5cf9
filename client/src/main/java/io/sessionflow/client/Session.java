package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A session with (from the single-session call) its summary and context. */
public record Session(String sessionId, String sessionType, String userId, String componentId, String sessionName, JsonNode sessionState,
                      JsonNode metadata, int runCount, Instant createdAt, Instant updatedAt, JsonNode summary, JsonNode context) {
}
