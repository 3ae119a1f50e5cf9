package io.sessionflow.store.session;

import io.sessionflow.store.Conditions;
import io.sessionflow.store.Jdbc;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes session rows. Every value is bound as a parameter. */
public final class SessionStore {

    private static final String COLUMNS = """
            session_id, session_type, user_id, component_id, session_name, session_state, metadata,
            run_count, version, created_at, updated_at""";

    private final SessionTombstones tombstones = new SessionTombstones();

    /** A session to create with its component's default state, unless it exists. */
    public record NewSession(String sessionId, ComponentType type, String userId, String componentId, ObjectNode defaultState) {
    }

    /**
     * Creates each session with its component's default state unless it exists (the existing row is
     * never touched), all in one round trip (a JDBC batch).
     */
    public void createAllIfAbsent(Connection connection, List<NewSession> sessions) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO sessions (session_id, session_type, user_id, component_id, session_state)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT (session_id) DO NOTHING""")) {
            for (NewSession session : sessions) {
                insert.setString(1, session.sessionId());
                insert.setString(2, session.type().wireName());
                insert.setString(3, session.userId());
                insert.setString(4, session.componentId());
                insert.setString(5, Json.toText(session.defaultState()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public Optional<Session> find(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE session_id = ?")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The sessions with these ids that exist, by id, read in one round trip. */
    public Map<String, Session> findAll(Connection connection, Collection<String> sessionIds) throws SQLException {
        Map<String, Session> found = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE session_id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("text", sessionIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Session session = read(rs);
                    found.put(session.sessionId(), session);
                }
            }
        }
        return found;
    }

    /** A finished run to record on its session: the new state, fenced by the version the run read. */
    public record RecordedRun(String sessionId, ObjectNode newState, long expectedVersion) {
    }

    /**
     * Records finished runs on their sessions, one round trip for all of them: each session gets its
     * new state, one more run and the next version. Fenced: a session no longer at the expected
     * version is left alone. Every change to {@code run_count} bumps {@code version}, so a session
     * that was still at the expected version had the run count its run read: the run's index is
     * that count plus one.
     *
     * @return per run, whether its session was recorded (false: a stale writer)
     */
    public boolean[] recordRuns(Connection connection, List<RecordedRun> runs) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sessions
                   SET session_state = CAST(? AS jsonb), run_count = run_count + 1, version = version + 1, updated_at = now()
                 WHERE session_id = ? AND version = ?""")) {
            for (RecordedRun run : runs) {
                update.setString(1, Json.toText(run.newState()));
                update.setString(2, run.sessionId());
                update.setLong(3, run.expectedVersion());
                update.addBatch();
            }
            return Jdbc.eachChangedOneRow(update.executeBatch());
        }
    }

    /** One page of sessions matching the filter, in the requested order (ties broken by id, so pages never overlap). */
    public List<Session> list(Connection connection, SessionFilter filter) throws SQLException {
        Conditions where = where(filter);
        String order = filter.sortBy().column + (filter.ascending() ? " ASC" : " DESC") + ", session_id" + (filter.ascending() ? " ASC" : " DESC");
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM sessions" + where.where() + " ORDER BY " + order + " LIMIT ? OFFSET ?")) {
            int i = where.bind(connection, select);
            select.setInt(i++, filter.limit());
            select.setLong(i, filter.offset());
            List<Session> sessions = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sessions.add(read(rs));
                }
            }
            return sessions;
        }
    }

    /** How many sessions match the filter, whatever the page. */
    public long count(Connection connection, SessionFilter filter) throws SQLException {
        Conditions where = where(filter);
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM sessions" + where.where())) {
            where.bind(connection, select);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Creates a session; false if the id is taken. */
    public boolean create(Connection connection, String sessionId, ComponentType type, String userId, String componentId,
                          String name, ObjectNode state, ObjectNode metadata) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO sessions (session_id, session_type, user_id, component_id, session_name, session_state, metadata)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))
                ON CONFLICT (session_id) DO NOTHING""")) {
            insert.setString(1, sessionId);
            insert.setString(2, type.wireName());
            insert.setString(3, userId);
            insert.setString(4, componentId);
            insert.setString(5, name);
            insert.setString(6, Json.toText(state));
            insert.setString(7, Json.toText(metadata));
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Applies a patch and bumps the version, so a run executing against the old state is fenced off
     * and retried on the new one. State merging happens in Postgres ({@code ||} is shallow), so the
     * caller passes the already merged object when it wants a deep merge.
     */
    public boolean update(Connection connection, String sessionId, String sessionName, ObjectNode newState, ObjectNode metadata)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sessions
                   SET session_name = COALESCE(?, session_name),
                       session_state = COALESCE(CAST(? AS jsonb), session_state),
                       metadata = COALESCE(CAST(? AS jsonb), metadata),
                       version = version + 1, updated_at = now()
                 WHERE session_id = ?""")) {
            update.setString(1, sessionName);
            update.setString(2, newState == null ? null : Json.toText(newState));
            update.setString(3, metadata == null ? null : Json.toText(metadata));
            update.setString(4, sessionId);
            return update.executeUpdate() == 1;
        }
    }

    /** Locks the session row for the rest of the transaction (read-modify-write of its state). */
    public Optional<Session> findForUpdate(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE session_id = ? FOR UPDATE")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Deletes sessions with everything that hangs off them (runs, summary, context: the foreign keys
     * cascade), and leaves a tombstone for each in the same statement, so that a run requested before
     * now cannot bring one back. With a user, only that user's sessions are touched. Tombstones past
     * their retention are swept on the way. @return the ids deleted
     */
    public List<String> delete(Connection connection, List<String> sessionIds, String onlyOfUser) throws SQLException {
        List<String> deleted = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement("""
                WITH deleted AS (
                    DELETE FROM sessions WHERE session_id = ANY (?)""" + (onlyOfUser != null ? " AND user_id = ?" : "") + """
                     RETURNING session_id),
                tombstones AS (
                    INSERT INTO session_tombstones (session_id, deleted_at) SELECT session_id, clock_timestamp() FROM deleted
                    ON CONFLICT (session_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at)
                SELECT session_id FROM deleted""")) {
            delete.setArray(1, connection.createArrayOf("text", sessionIds.toArray()));
            if (onlyOfUser != null) {
                delete.setString(2, onlyOfUser);
            }
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getString(1));
                }
            }
        }
        tombstones.sweep(connection);
        return deleted;
    }

    /**
     * Locks those of the sessions that exist against deletion until the transaction ends, in id order
     * (so two batches cannot deadlock); a deletion under way is waited out first. Runs and commits do
     * not conflict with this lock: only a delete does.
     */
    public void lockAgainstDeletion(Connection connection, Collection<String> sessionIds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT session_id FROM sessions WHERE session_id = ANY (?) ORDER BY session_id FOR KEY SHARE")) {
            lock.setArray(1, connection.createArrayOf("text", sessionIds.toArray()));
            lock.executeQuery().close();
        }
    }

    private static Conditions where(SessionFilter filter) {
        String name = filter.nameContains() == null ? null
                : "%" + filter.nameContains().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return new Conditions()
                .and("user_id = ?", filter.userId())
                .and("session_type = ?", filter.sessionType() == null ? null : filter.sessionType().wireName())
                .and("component_id = ?", filter.componentId())
                .and("session_name ILIKE ? ESCAPE '\\'", name)
                .range("created_at", filter.createdFrom(), filter.createdTo())
                .range("updated_at", filter.updatedFrom(), filter.updatedTo());
    }

    static Session read(ResultSet rs) throws SQLException {
        return new Session(
                rs.getString("session_id"),
                ComponentType.fromWireName(rs.getString("session_type")),
                rs.getString("user_id"),
                rs.getString("component_id"),
                rs.getString("session_name"),
                Json.parseObject(rs.getString("session_state")),
                Json.parseObject(rs.getString("metadata")),
                rs.getInt("run_count"),
                rs.getLong("version"),
                Jdbc.instant(rs.getTimestamp("created_at")),
                Jdbc.instant(rs.getTimestamp("updated_at")));
    }
}
