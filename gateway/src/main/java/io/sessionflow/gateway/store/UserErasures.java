package io.sessionflow.gateway.store;

import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.usage.UsageStore;
import io.sessionflow.store.session.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code user_erasures} jobs and the batched deletes that erase one user. */
public final class UserErasures {

    /** A job as the API shows it. */
    public record Job(String jobId, String status, int sessionsDeleted, int rowsDeleted, Instant createdAt, Instant finishedAt) {
    }

    /** A running job with its user, for the runner. */
    public record Running(String jobId, String userId) {
    }

    private final SessionStore sessions = new SessionStore();
    private final MemoryStore memories = new MemoryStore();
    private final UsageStore usage = new UsageStore();

    /** The user's running job, or a new one: asking twice while it runs is the same job. */
    public String startOrJoin(Connection c, String jobId, String userId, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO user_erasures (job_id, user_id, status, created_at, updated_at) VALUES (?, ?, 'running', ?, ?)
                ON CONFLICT (user_id) WHERE status = 'running' DO NOTHING""")) {
            insert.setString(1, jobId);
            insert.setString(2, userId);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setTimestamp(4, Timestamp.from(now));
            if (insert.executeUpdate() == 1) {
                return jobId;
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT job_id FROM user_erasures WHERE user_id = ? AND status = 'running'")) {
            select.setString(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        return startOrJoin(c, jobId, userId, now); // the running one finished in between: start anew
    }

    public Optional<Job> find(Connection c, String jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT job_id, status, sessions_deleted, rows_deleted, created_at, finished_at FROM user_erasures WHERE job_id = ?""")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp finished = rs.getTimestamp(6);
                return Optional.of(new Job(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                        finished == null ? null : finished.toInstant()));
            }
        }
    }

    public List<Running> running(Connection c) throws SQLException {
        List<Running> jobs = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT job_id, user_id FROM user_erasures WHERE status = 'running' ORDER BY created_at")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new Running(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return jobs;
    }

    /**
     * Deletes up to {@code batch} of the user's sessions through the session store, so each leaves a
     * tombstone and a run requested before now cannot bring it back; its runs, summary, context and
     * idempotency keys go with it (foreign keys). @return how many were deleted (0: none is left)
     */
    public int deleteSessions(Connection c, Running job, int batch, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT session_id FROM sessions WHERE user_id = ? ORDER BY session_id LIMIT ?")) {
            select.setString(1, job.userId());
            select.setInt(2, batch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        int deleted = ids.isEmpty() ? 0 : sessions.delete(c, ids, job.userId()).size();
        progress(c, job.jobId(), deleted, 0, now);
        return deleted;
    }

    /**
     * The rest, once no session is left: the user's memories, profile and extraction progress (under
     * the user's memory lock, so an extraction under way either committed before or finds its session
     * gone), their usage counts, runs stamped with the user in sessions of no user, and the user key's
     * idempotency keys.
     */
    public void finish(Connection c, Running job, Instant now) throws SQLException {
        int rows = memories.eraseUser(c, job.userId());
        // Usage counts go too. The usage topology's windows still hold them for up to two days; only a new
        // run of the same user id in that time would write them back, summed with the new run.
        rows += usage.deleteUser(c, job.userId());
        try (PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE user_id = ?")) {
            runs.setString(1, job.userId());
            rows += runs.executeUpdate();
        }
        try (PreparedStatement keys = c.prepareStatement("DELETE FROM idempotency_keys WHERE scope = ?")) {
            keys.setString(1, "user:" + job.userId());
            rows += keys.executeUpdate();
        }
        progress(c, job.jobId(), 0, rows, now);
        try (PreparedStatement done = c.prepareStatement("""
                UPDATE user_erasures SET status = 'completed', user_id = NULL, finished_at = ?, updated_at = ? WHERE job_id = ?""")) {
            done.setTimestamp(1, Timestamp.from(now));
            done.setTimestamp(2, Timestamp.from(now));
            done.setString(3, job.jobId());
            done.executeUpdate();
        }
    }

    private static void progress(Connection c, String jobId, int sessionsDeleted, int rowsDeleted, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE user_erasures SET sessions_deleted = sessions_deleted + ?, rows_deleted = rows_deleted + ?, updated_at = ?
                 WHERE job_id = ?""")) {
            update.setInt(1, sessionsDeleted);
            update.setInt(2, rowsDeleted);
            update.setTimestamp(3, Timestamp.from(now));
            update.setString(4, jobId);
            update.executeUpdate();
        }
    }
}
