package io.sessionflow.store.reprocess;

import io.sessionflow.store.Conditions;
import io.sessionflow.store.Jdbc;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reprocessing jobs and their items. */
public final class ReprocessStore {

    /** A session a job covers, with what decides whether it has a summary or a context to rebuild. */
    public record Candidate(String sessionId, String sessionType, String componentId) {
    }

    /** @param topicPrefix the deployment that owns the job: only its gateways drive it */
    public void create(Connection c, String jobId, String kind, ReprocessFilter filter, String promptVersion, int total,
                       java.time.Instant createdAt, String topicPrefix) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO reprocess_jobs (job_id, kind, filter, prompt_version, status, total, created_at, topic_prefix)
                VALUES (?, ?, CAST(? AS jsonb), ?, 'running', ?, ?, ?)""")) {
            insert.setString(1, jobId);
            insert.setString(2, kind);
            insert.setString(3, Json.toText(filter));
            insert.setString(4, promptVersion);
            insert.setInt(5, total);
            insert.setTimestamp(6, Timestamp.from(createdAt));
            insert.setString(7, topicPrefix);
            insert.executeUpdate();
        }
    }

    public Optional<ReprocessJob> find(Connection c, String jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT j.job_id, j.kind, j.filter, j.prompt_version, j.status, j.cursor_session, j.published_all, j.total,
                       count(*) FILTER (WHERE i.status = 'queued'), count(*) FILTER (WHERE i.status = 'done'),
                       count(*) FILTER (WHERE i.status = 'failed'), j.created_at, j.updated_at, j.finished_at
                  FROM reprocess_jobs j LEFT JOIN reprocess_items i ON i.job_id = j.job_id
                 WHERE j.job_id = ?
                 GROUP BY j.job_id""")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ReprocessJob(rs.getString(1), rs.getString(2),
                        Json.MAPPER.readValue(rs.getString(3), ReprocessFilter.class), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getBoolean(7), rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                        Jdbc.instant(rs.getTimestamp(12)), Jdbc.instant(rs.getTimestamp(13)),
                        Jdbc.instant(rs.getTimestamp(14))));
            } catch (java.io.IOException e) {
                throw new SQLException("unreadable job filter of " + jobId, e);
            }
        }
    }

    /** The most recently created jobs' ids, newest first (the console's list of jobs). */
    public List<String> recentJobIds(Connection c, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT job_id FROM reprocess_jobs ORDER BY created_at DESC, job_id LIMIT ?")) {
            select.setInt(1, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** A deployment's running jobs: those still publishing and those waiting for their last items. */
    public List<String> runningJobIds(Connection c, String topicPrefix) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT job_id FROM reprocess_jobs WHERE status = 'running' AND topic_prefix = ? ORDER BY created_at")) {
            select.setString(1, topicPrefix);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Locks a running job for this transaction unless another gateway holds it. */
    public boolean tryLock(Connection c, String jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM reprocess_jobs WHERE job_id = ? AND status = 'running' FOR UPDATE SKIP LOCKED")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The sessions a filter covers, in id order after {@code after}; only sessions that existed when the job began. */
    public List<Candidate> candidates(Connection c, ReprocessFilter filter, java.time.Instant jobCreated, String after, int limit)
            throws SQLException {
        Conditions where = where(filter, jobCreated).and("session_id > ?", after);
        try (PreparedStatement select = c.prepareStatement(
                "SELECT session_id, session_type, component_id FROM sessions" + where.where() + " ORDER BY session_id LIMIT ?")) {
            int i = where.bind(c, select);
            select.setInt(i, limit);
            List<Candidate> result = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return result;
        }
    }

    /** How many sessions the filter covers, per (session type, component id): to count a job's items up front. */
    public java.util.Map<Candidate, Long> countByComponent(Connection c, ReprocessFilter filter, java.time.Instant jobCreated) throws SQLException {
        Conditions where = where(filter, jobCreated);
        try (PreparedStatement select = c.prepareStatement("SELECT session_type, component_id, count(*) FROM sessions"
                + where.where() + " GROUP BY session_type, component_id")) {
            where.bind(c, select);
            java.util.Map<Candidate, Long> counts = new java.util.HashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(new Candidate(null, rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
            return counts;
        }
    }

    /**
     * The users a memories job covers, in id order after {@code after}: the users of the sessions the filter
     * covers whose component keeps memories ({@code components}, as "agent:id" / "team:id").
     */
    public List<String> users(Connection c, ReprocessFilter filter, java.time.Instant jobCreated, List<String> components, String after,
                              int limit) throws SQLException {
        Conditions where = usersWhere(filter, jobCreated, components).and("user_id > ?", after);
        try (PreparedStatement select = c.prepareStatement("SELECT DISTINCT user_id FROM sessions" + where.where()
                + " ORDER BY user_id LIMIT ?")) {
            int i = where.bind(c, select);
            select.setInt(i, limit);
            List<String> result = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        }
    }

    /** How many users a memories job covers (see {@link #users}). */
    public long countUsers(Connection c, ReprocessFilter filter, java.time.Instant jobCreated, List<String> components) throws SQLException {
        Conditions where = usersWhere(filter, jobCreated, components);
        try (PreparedStatement select = c.prepareStatement("SELECT count(DISTINCT user_id) FROM sessions" + where.where())) {
            where.bind(c, select);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Conditions usersWhere(ReprocessFilter filter, java.time.Instant jobCreated, List<String> components) {
        return where(filter, jobCreated).and("user_id IS NOT NULL").and("session_type || ':' || component_id = ANY (?)", components);
    }

    public java.time.Instant createdAt(Connection c, String jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT created_at FROM reprocess_jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** Queues items (once: republishing after a crash does not reset them). */
    public void queue(Connection c, String jobId, List<String[]> sessionAndTarget) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO reprocess_items (job_id, session_id, target, status) VALUES (?, ?, ?, 'queued')
                ON CONFLICT (job_id, session_id, target) DO NOTHING""")) {
            for (String[] item : sessionAndTarget) {
                insert.setString(1, jobId);
                insert.setString(2, item[0]);
                insert.setString(3, item[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public void advance(Connection c, String jobId, String cursor, boolean publishedAll) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE reprocess_jobs SET cursor_session = COALESCE(?, cursor_session), published_all = ?, updated_at = now() WHERE job_id = ?")) {
            update.setString(1, cursor);
            update.setBoolean(2, publishedAll);
            update.setString(3, jobId);
            update.executeUpdate();
        }
    }

    /** Records a worker's outcome for one item (the first outcome after queueing wins; a redelivery changes nothing). */
    public void finishItem(Connection c, String jobId, String sessionId, String target, boolean ok, String error) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                INSERT INTO reprocess_items (job_id, session_id, target, status, error) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_id, session_id, target) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, updated_at = now()
                 WHERE reprocess_items.status = 'queued'""")) {
            update.setString(1, jobId);
            update.setString(2, sessionId);
            update.setString(3, target);
            update.setString(4, ok ? "done" : "failed");
            update.setString(5, error);
            update.executeUpdate();
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                return; // the job was deleted meanwhile: nobody is waiting for this item
            }
            throw e;
        }
    }

    /** Whether an item of the job is still waiting for its outcome (false: done, failed, or unknown). */
    public boolean isQueued(Connection c, String jobId, String sessionId, String target) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM reprocess_items WHERE job_id = ? AND session_id = ? AND target = ? AND status = 'queued'")) {
            select.setString(1, jobId);
            select.setString(2, sessionId);
            select.setString(3, target);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Completes a job once everything is published and nothing is queued. @return whether it completed now */
    public boolean completeIfDone(Connection c, String jobId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE reprocess_jobs SET status = 'completed', finished_at = now(), updated_at = now()
                 WHERE job_id = ? AND status = 'running' AND published_all
                   AND NOT EXISTS (SELECT 1 FROM reprocess_items WHERE job_id = ? AND status = 'queued')""")) {
            update.setString(1, jobId);
            update.setString(2, jobId);
            return update.executeUpdate() == 1;
        }
    }

    public boolean cancel(Connection c, String jobId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE reprocess_jobs SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE job_id = ? AND status = 'running'")) {
            update.setString(1, jobId);
            return update.executeUpdate() == 1;
        }
    }

    public Optional<String> status(Connection c, String jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT status FROM reprocess_jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The sessions a job covers: those that existed when it began, narrowed by its filter. */
    private static Conditions where(ReprocessFilter filter, java.time.Instant jobCreated) {
        return new Conditions()
                .and("created_at <= ?", jobCreated)
                .and("user_id = ?", filter.userId())
                .and("component_id = ?", filter.componentId())
                .and("session_id = ANY (?)", filter.sessionIds())
                .range("created_at", filter.createdFrom(), filter.createdTo())
                .range("updated_at", filter.updatedFrom(), filter.updatedTo());
    }
}
