package io.sessionflow.store.snapshot;

import io.sessionflow.store.Jdbc;
import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Session summaries and session-context snapshots. Writes are monotonic: a snapshot replaces the
 * stored one only if it covers more runs, so a redelivered or late update can never move it back.
 */
public final class SnapshotStore {

    public Optional<SessionSummary> findSummary(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT session_id, summary, topics, up_to_run_index, prompt_version, model, updated_at
                  FROM session_summaries WHERE session_id = ?""")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionSummary(rs.getString(1), rs.getString(2), strings(rs.getString(3)), rs.getInt(4),
                        rs.getString(5), rs.getString(6), Jdbc.instant(rs.getTimestamp(7))));
            }
        }
    }

    /** @return whether the summary was written (false: the stored one already covers as many runs) */
    public boolean saveSummaryIfNewer(Connection connection, SessionSummary summary) throws SQLException {
        return saveSummary(connection, summary, false);
    }

    /**
     * Stores a summary rebuilt with another prompt: it also replaces a stored summary covering the
     * same runs under a different prompt version, but never one that covers more runs.
     */
    public boolean saveRebuiltSummary(Connection connection, SessionSummary summary) throws SQLException {
        return saveSummary(connection, summary, true);
    }

    private boolean saveSummary(Connection connection, SessionSummary summary, boolean rebuilt) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO session_summaries (session_id, summary, topics, up_to_run_index, prompt_version, model, updated_at)
                VALUES (?, ?, CAST(? AS jsonb), ?, ?, ?, now())
                ON CONFLICT (session_id) DO UPDATE
                   SET summary = EXCLUDED.summary, topics = EXCLUDED.topics, up_to_run_index = EXCLUDED.up_to_run_index,
                       prompt_version = EXCLUDED.prompt_version, model = EXCLUDED.model, updated_at = now()
                 WHERE session_summaries.up_to_run_index < EXCLUDED.up_to_run_index""" + (rebuilt ? " OR " + """
                    (session_summaries.up_to_run_index = EXCLUDED.up_to_run_index
                        AND session_summaries.prompt_version <> EXCLUDED.prompt_version)""" : ""))) {
            upsert.setString(1, summary.sessionId());
            upsert.setString(2, summary.summary());
            upsert.setString(3, Json.toText(summary.topics()));
            upsert.setInt(4, summary.upToRunIndex());
            upsert.setString(5, summary.promptVersion());
            upsert.setString(6, summary.model());
            return upsert.executeUpdate() == 1;
        }
    }

    public Optional<SessionContext> findContext(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT session_id, summary, goal, plan, progress, up_to_run_index, prompt_version, updated_at
                  FROM session_contexts WHERE session_id = ?""")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionContext(rs.getString(1), rs.getString(2), rs.getString(3), strings(rs.getString(4)),
                        strings(rs.getString(5)), rs.getInt(6), rs.getString(7), Jdbc.instant(rs.getTimestamp(8))));
            }
        }
    }

    /** @return whether the snapshot was written (false: the stored one already covers as many runs) */
    public boolean saveContextIfNewer(Connection connection, SessionContext context) throws SQLException {
        return saveContext(connection, context, false);
    }

    /** Like {@link #saveRebuiltSummary}, for a context snapshot rebuilt with another prompt. */
    public boolean saveRebuiltContext(Connection connection, SessionContext context) throws SQLException {
        return saveContext(connection, context, true);
    }

    private boolean saveContext(Connection connection, SessionContext context, boolean rebuilt) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO session_contexts (session_id, summary, goal, plan, progress, up_to_run_index, prompt_version, updated_at)
                VALUES (?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, now())
                ON CONFLICT (session_id) DO UPDATE
                   SET summary = EXCLUDED.summary, goal = EXCLUDED.goal, plan = EXCLUDED.plan, progress = EXCLUDED.progress,
                       up_to_run_index = EXCLUDED.up_to_run_index, prompt_version = EXCLUDED.prompt_version, updated_at = now()
                 WHERE session_contexts.up_to_run_index < EXCLUDED.up_to_run_index""" + (rebuilt ? " OR " + """
                    (session_contexts.up_to_run_index = EXCLUDED.up_to_run_index
                        AND session_contexts.prompt_version <> EXCLUDED.prompt_version)""" : ""))) {
            upsert.setString(1, context.sessionId());
            upsert.setString(2, context.summary());
            upsert.setString(3, context.goal());
            upsert.setString(4, Json.toText(context.plan()));
            upsert.setString(5, Json.toText(context.progress()));
            upsert.setInt(6, context.upToRunIndex());
            upsert.setString(7, context.promptVersion());
            return upsert.executeUpdate() == 1;
        }
    }

    private static List<String> strings(String json) {
        List<String> values = new ArrayList<>();
        if (json != null) {
            for (JsonNode item : Json.parse(json)) {
                values.add(item.asText());
            }
        }
        return values;
    }
}
