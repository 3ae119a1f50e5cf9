package io.sessionflow.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A command on {@code sessions.reprocess}: rebuild this session's summary or context from its whole run
 * history and record {@code prompt_version} (null: the worker's current one), keyed by session id; or, with
 * target {@code memories}, rebuild a user's memories and profile from all of that user's history, keyed by
 * the user id (then {@code session_id} is null: memories belong to a user, not to one session).
 *
 * @param target {@code summary}, {@code context} or {@code memories}
 * @param userId the user whose memories to rebuild; only with target {@code memories}
 */
public record ReprocessSession(int schemaVersion, String jobId, String sessionId, String target, String promptVersion,
                               Instant requestedAt, String userId) {

    public static final int SCHEMA_VERSION = 1;
    public static final String SUMMARY = "summary";
    public static final String CONTEXT = "context";
    public static final String MEMORIES = "memories";

    public ReprocessSession {
        Ids.requireId(jobId, "job_id");
        Objects.requireNonNull(target, "target is required");
        switch (target) {
            case SUMMARY, CONTEXT -> Ids.requireId(sessionId, "session_id");
            case MEMORIES -> {
                Ids.requireId(userId, "user_id");
                if (sessionId != null) {
                    throw new IllegalArgumentException("a memories command names a user_id, not a session_id");
                }
            }
            default -> throw new IllegalArgumentException("target must be 'summary', 'context' or 'memories'");
        }
    }

    /** A summary or context command for one session. */
    public static ReprocessSession ofSession(String jobId, String sessionId, String target, String promptVersion, Instant requestedAt) {
        return new ReprocessSession(SCHEMA_VERSION, jobId, sessionId, target, promptVersion, requestedAt, null);
    }

    /** A memories command for one user. */
    public static ReprocessSession ofUser(String jobId, String userId, Instant requestedAt) {
        return new ReprocessSession(SCHEMA_VERSION, jobId, null, MEMORIES, null, requestedAt, userId);
    }

    /** The record's key: the session id, or the user id of a memories command. */
    public String key() {
        return MEMORIES.equals(target) ? userId : sessionId;
    }
}
