package io.sessionflow.gateway.store;

import io.sessionflow.store.Conditions;
import io.sessionflow.store.session.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes sessions by filter, one batch per transaction, through {@link SessionStore#delete} (so each
 * leaves its tombstone, exactly like a deletion by id). Batches keep each transaction, and the row
 * locks it holds, short, so live runs and requests are not held up by a large purge.
 */
public final class SessionPurge {

    /** Which sessions to delete: every given condition must hold; at least one must be given. */
    public record Filter(String userId, String componentId, Instant updatedBefore) {
        public Filter {
            if (userId == null && componentId == null && updatedBefore == null) {
                throw new IllegalArgumentException("a purge needs user_id, component_id or updated_before");
            }
        }
    }

    /**
     * Locks this purge's lock for the transaction if no other transaction holds it. Two gateways
     * sweeping the same table would only fight over the same rows: one at a time is enough.
     */
    public boolean tryLock(Connection connection, long lockKey) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Deletes up to {@code batch} sessions matching the filter (rows another transaction holds are
     * skipped, not waited for: a session being run is left for the next batch). @return the ids deleted
     */
    public List<String> deleteBatch(Connection connection, SessionStore sessions, Filter filter, int batch) throws SQLException {
        Conditions where = new Conditions()
                .and("user_id = ?", filter.userId())
                .and("component_id = ?", filter.componentId())
                .and("updated_at < ?", filter.updatedBefore());
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT session_id FROM sessions" + where.where()
                + " ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            int i = where.bind(connection, select);
            select.setInt(i, batch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids.isEmpty() ? ids : sessions.delete(connection, ids, null);
    }
}
