package io.sessionflow.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A command on {@code sessions.reprocess}, keyed by session id: rebuild this session's summary or
 * context from its whole run history and record {@code prompt_version} (null: the worker's current one).
 *
 * @param target {@code summary} or {@code context}
 */
public record ReprocessSession(int schemaVersion, String jobId, String sessionId, String target, String promptVersion,
                               Instant requestedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String SUMMARY = "summary";
    public static final String CONTEXT = "context";

    public ReprocessSession {
        Ids.requireId(jobId, "job_id");
        Ids.requireId(sessionId, "session_id");
        Objects.requireNonNull(target, "target is required");
        if (!target.equals(SUMMARY) && !target.equals(CONTEXT)) {
            throw new IllegalArgumentException("target must be 'summary' or 'context'");
        }
    }
}
