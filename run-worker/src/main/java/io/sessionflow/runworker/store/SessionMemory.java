package io.sessionflow.runworker.store;

import io.sessionflow.store.Jdbc;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run needs to remember of its session, read in one round trip: the summary and the context
 * snapshot (when asked for) and the turns of the latest completed top-level runs (at most
 * {@code historyRuns} rows, by index, whatever the session's length).
 */
public record SessionMemory(Optional<SessionSummary> summary, Optional<SessionContext> context, List<ChatMessage> history) {

    /**
     * What to read of one session: how many of its latest runs, and whether its summary and context;
     * with {@code historyAfterSummary} (and a summary read), only runs after the summary's
     * {@code up_to_run_index}: the summary stands in for the runs it covers.
     */
    public record Wanted(String sessionId, int historyRuns, boolean withSummary, boolean withContext, boolean historyAfterSummary) {
    }

    /** The memory of many sessions in one round trip, by session id. */
    public static Map<String, SessionMemory> loadAll(Connection connection, List<Wanted> wanted) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT w.session_id,
                       s.summary, s.topics, s.up_to_run_index, s.prompt_version, s.model, s.updated_at,
                       c.summary, c.goal, c.plan, c.progress, c.up_to_run_index, c.prompt_version, c.updated_at,
                       (SELECT jsonb_agg(h.messages ORDER BY h.run_index)
                          FROM (SELECT messages, run_index FROM runs
                                 WHERE session_id = w.session_id AND run_index IS NOT NULL AND status = 'completed' AND parent_run_id IS NULL
                                   AND run_index > CASE WHEN w.after_summary THEN COALESCE(s.up_to_run_index, 0) ELSE 0 END
                                 ORDER BY run_index DESC LIMIT w.history_runs) h)
                  FROM unnest(CAST(? AS text[]), CAST(? AS int[]), CAST(? AS boolean[]), CAST(? AS boolean[]), CAST(? AS boolean[]))
                       AS w(session_id, history_runs, with_summary, with_context, after_summary)
                  LEFT JOIN session_summaries s ON w.with_summary AND s.session_id = w.session_id
                  LEFT JOIN session_contexts c ON w.with_context AND c.session_id = w.session_id""")) {
            select.setArray(1, connection.createArrayOf("text", wanted.stream().map(Wanted::sessionId).toArray()));
            select.setArray(2, connection.createArrayOf("int4", wanted.stream().map(Wanted::historyRuns).toArray()));
            select.setArray(3, connection.createArrayOf("bool", wanted.stream().map(Wanted::withSummary).toArray()));
            select.setArray(4, connection.createArrayOf("bool", wanted.stream().map(Wanted::withContext).toArray()));
            select.setArray(5, connection.createArrayOf("bool", wanted.stream().map(w -> w.withSummary() && w.historyAfterSummary()).toArray()));
            Map<String, SessionMemory> memories = new HashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String sessionId = rs.getString(1);
                    memories.put(sessionId, read(rs, sessionId));
                }
            }
            return memories;
        }
    }

    private static SessionMemory read(ResultSet rs, String sessionId) throws SQLException {
        Optional<SessionSummary> summary = rs.getString(2) == null ? Optional.empty()
                : Optional.of(new SessionSummary(sessionId, rs.getString(2), strings(rs.getString(3)), rs.getInt(4), rs.getString(5),
                rs.getString(6), Jdbc.instant(rs.getTimestamp(7))));
        Optional<SessionContext> context = rs.getString(13) == null ? Optional.empty()
                : Optional.of(new SessionContext(sessionId, rs.getString(8), rs.getString(9), strings(rs.getString(10)),
                strings(rs.getString(11)), rs.getInt(12), rs.getString(13), Jdbc.instant(rs.getTimestamp(14))));
        List<ChatMessage> history = new ArrayList<>();
        String runs = rs.getString(15);
        if (runs != null) {
            for (JsonNode run : Json.parse(runs)) {
                for (JsonNode message : run) {
                    // Whole messages, tool calls and results included: the model sees earlier runs' tool use as its provider expects.
                    history.add(Json.MAPPER.convertValue(message, ChatMessage.class));
                }
            }
        }
        return new SessionMemory(summary, context, history);
    }

    private static List<String> strings(String json) {
        List<String> values = new ArrayList<>();
        if (json != null) {
            Json.parse(json).forEach(item -> values.add(item.asText()));
        }
        return values;
    }
}
