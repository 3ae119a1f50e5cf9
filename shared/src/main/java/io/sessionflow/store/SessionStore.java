package io.sessionflow.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads and writes session rows. Every value is bound as a parameter. */
public final class SessionStore {

    private static final String COLUMNS = """
            session_id, session_type, user_id, component_id, session_name, session_state, metadata,
            run_count, version, created_at, updated_at""";

    /** Creates the session with the component's default state unless it exists; the existing row is never touched. */
    public void createIfAbsent(Connection connection, String sessionId, ComponentType type, String userId,
                               String componentId, ObjectNode defaultState) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO sessions (session_id, session_type, user_id, component_id, session_state)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT (session_id) DO NOTHING""")) {
            insert.setString(1, sessionId);
            insert.setString(2, type.wireName());
            insert.setString(3, userId);
            insert.setString(4, componentId);
            insert.setString(5, Json.toText(defaultState));
            insert.executeUpdate();
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

    /**
     * Records one finished run on the session: the new state, one more run, the next version. Fenced:
     * nothing changes unless the row is still at {@code expectedVersion}.
     *
     * @return the run index the finished run takes, or empty when the session moved on (a stale writer)
     */
    public OptionalInt recordRun(Connection connection, String sessionId, ObjectNode newState, long expectedVersion) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sessions
                   SET session_state = CAST(? AS jsonb), run_count = run_count + 1, version = version + 1, updated_at = now()
                 WHERE session_id = ? AND version = ?
                RETURNING run_count""")) {
            update.setString(1, Json.toText(newState));
            update.setString(2, sessionId);
            update.setLong(3, expectedVersion);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        }
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
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
