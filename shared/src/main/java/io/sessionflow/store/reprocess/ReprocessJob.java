package io.sessionflow.store.reprocess;

import java.time.Instant;

/** A reprocessing job with its progress, counted from its items. */
public record ReprocessJob(String jobId, String kind, ReprocessFilter filter, String promptVersion, String status,
                           String cursorSession, boolean publishedAll, int total, long queued, long done, long failed,
                           Instant createdAt, Instant updatedAt, Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
}
