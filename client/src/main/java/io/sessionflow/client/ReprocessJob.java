package io.sessionflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A batch job rebuilding summaries and/or contexts, with its progress. */
public record ReprocessJob(String jobId, String kind, String status, String promptVersion, long total, long done, long failed, long queued,
                           JsonNode filter, Instant createdAt, Instant finishedAt) {
}
