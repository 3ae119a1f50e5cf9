package io.sessionflow.store;

import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run needs to remember of its session, read in one round trip: the summary and the context
 * snapshot (when asked for) and the turns of the latest completed top-level runs (at most
 * {@code historyRuns} rows, by index, whatever the session's length).
 */
public record SessionMemory(Optional<SessionSummary> summary, Optional<SessionContext> context, List<ChatMessage> history) {

    public static SessionMemory load(Connection connection, String sessionId, int historyRuns, boolean withSummary, boolean withContext)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT s.summary, s.topics, s.up_to_run_index, s.prompt_version, s.model, s.updated_at,
                       c.summary, c.goal, c.plan, c.progress, c.up_to_run_index, c.prompt_version, c.updated_at,
                       (SELECT jsonb_agg(h.messages ORDER BY h.run_index)
                          FROM (SELECT messages, run_index FROM runs
                                 WHERE session_id = ? AND run_index IS NOT NULL AND status = 'completed' AND parent_run_id IS NULL
                                 ORDER BY run_index DESC LIMIT ?) h)
                  FROM (SELECT 1) one
                  LEFT JOIN session_summaries s ON ? AND s.session_id = ?
                  LEFT JOIN session_contexts c ON ? AND c.session_id = ?""")) {
            select.setString(1, sessionId);
            select.setInt(2, historyRuns);
            select.setBoolean(3, withSummary);
            select.setString(4, sessionId);
            select.setBoolean(5, withContext);
            select.setString(6, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                Optional<SessionSummary> summary = rs.getString(1) == null ? Optional.empty()
                        : Optional.of(new SessionSummary(sessionId, rs.getString(1), strings(rs.getString(2)), rs.getInt(3), rs.getString(4),
                        rs.getString(5), SessionStore.instant(rs.getTimestamp(6))));
                Optional<SessionContext> context = rs.getString(12) == null ? Optional.empty()
                        : Optional.of(new SessionContext(sessionId, rs.getString(7), rs.getString(8), strings(rs.getString(9)),
                        strings(rs.getString(10)), rs.getInt(11), rs.getString(12), SessionStore.instant(rs.getTimestamp(13))));
                List<ChatMessage> history = new ArrayList<>();
                String runs = rs.getString(14);
                if (runs != null && historyRuns > 0) {
                    for (JsonNode run : Json.parse(runs)) {
                        for (JsonNode message : run) {
                            history.add(new ChatMessage(ChatMessage.Role.fromWireName(message.path("role").asText()), message.path("content").asText()));
                        }
                    }
                }
                return new SessionMemory(summary, context, history);
            }
        }
    }

    private static List<String> strings(String json) {
        List<String> values = new ArrayList<>();
        if (json != null) {
            Json.parse(json).forEach(item -> values.add(item.asText()));
        }
        return values;
    }
}
