package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One server-sent event of a run: {@code run_started}, {@code delta} (a piece of the answer),
 * {@code retrying} (the deltas so far are void), tool calls, then {@code run_completed} or
 * {@code run_failed} carrying the final {@code run}. {@code id} resumes a broken stream.
 */
public record RunStreamEvent(long id, String type, String runId, String sessionId, String delta, JsonNode run, Instant at) {

    public boolean isFinal() {
        return "run_completed".equals(type) || "run_failed".equals(type);
    }
}
