package io.sessionflow.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's conversation as messages (Agno's {@code session.messages}): the turns stored on its
 * completed top-level runs, in run order then turn order. Each stored turn is returned as it is, so
 * whatever roles a run stores (user, assistant, and tool messages once runs call tools) come through
 * without this class knowing them. Member runs of a team are the team's inner work, not the
 * conversation, and are left out, as history leaves them out.
 */
public final class SessionMessages {

    private static final String CONVERSATION = """
            FROM runs r CROSS JOIN LATERAL jsonb_array_elements(COALESCE(r.messages, '[]'::jsonb)) WITH ORDINALITY AS m(message, turn)
            WHERE r.session_id = ? AND r.status = 'completed' AND r.parent_run_id IS NULL AND r.run_index IS NOT NULL""";

    /** One message, with the run it belongs to. */
    public record Message(String runId, int runIndex, ObjectNode message, java.time.Instant createdAt) {
    }

    /** One page of the session's messages, oldest first (or newest first), {@code limit} per page. */
    public List<Message> page(Connection connection, String sessionId, boolean newestFirst, int page, int limit) throws SQLException {
        String order = newestFirst ? " ORDER BY r.run_index DESC, m.turn DESC" : " ORDER BY r.run_index, m.turn";
        List<Message> messages = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT r.run_id, r.run_index, m.message, r.completed_at " + CONVERSATION + order + " LIMIT ? OFFSET ?")) {
            select.setString(1, sessionId);
            select.setInt(2, limit);
            select.setLong(3, (long) (page - 1) * limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    messages.add(new Message(rs.getString(1), rs.getInt(2), Json.parseObject(rs.getString(3)),
                            Jdbc.instant(rs.getTimestamp(4))));
                }
            }
        }
        return messages;
    }

    /** How many messages the session's conversation holds. */
    public long count(Connection connection, String sessionId) throws SQLException {
        return countBySessions(connection, List.of(sessionId)).getOrDefault(sessionId, 0L);
    }

    /** The message count of each of these sessions that has any, in one round trip (a session without messages is absent). */
    public Map<String, Long> countBySessions(Connection connection, Collection<String> sessionIds) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        if (sessionIds.isEmpty()) {
            return counts;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT session_id, sum(jsonb_array_length(COALESCE(messages, '[]'::jsonb))) FROM runs
                 WHERE session_id = ANY (?) AND status = 'completed' AND parent_run_id IS NULL AND run_index IS NOT NULL
                 GROUP BY session_id""")) {
            select.setArray(1, connection.createArrayOf("text", sessionIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }
}
