package io.sessionflow.store.usage;

import io.sessionflow.store.Conditions;
import io.sessionflow.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Usage windows in Postgres: written by the usage topology, read by the usage API. */
public final class UsageStore {

    /**
     * Stores the windows' totals as they are now. The topology computes absolute totals, so a row written
     * again on a replay is overwritten with the same or a soon-corrected value and never counted twice.
     */
    public void save(Connection connection, List<UsageWindow> windows, Instant now) throws SQLException {
        String sql = """
                INSERT INTO usage_windows (granularity, window_start, user_id, component_type, component_id, model,
                                           runs, failed_runs, input_tokens, output_tokens, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (granularity, window_start, user_id, component_type, component_id, model) DO UPDATE
                SET runs = excluded.runs, failed_runs = excluded.failed_runs, input_tokens = excluded.input_tokens,
                    output_tokens = excluded.output_tokens, updated_at = excluded.updated_at
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (UsageWindow window : windows) {
                UsageKey key = window.key();
                UsageTotals totals = window.totals();
                statement.setString(1, window.granularity().wireName());
                statement.setTimestamp(2, Timestamp.from(window.windowStart()));
                statement.setString(3, key.userId());
                statement.setString(4, key.componentType());
                statement.setString(5, key.componentId());
                statement.setString(6, key.model());
                statement.setLong(7, totals.runs());
                statement.setLong(8, totals.failedRuns());
                statement.setLong(9, totals.inputTokens());
                statement.setLong(10, totals.outputTokens());
                statement.setTimestamp(11, Timestamp.from(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The windows matching the query, oldest first, at most {@code query.limit()}. */
    public List<UsageWindow> find(Connection connection, UsageQuery query) throws SQLException {
        Conditions where = new Conditions()
                .and("granularity = ?", query.granularity().wireName())
                .and("user_id = ?", query.userId())
                .and("component_type = ?", query.componentType())
                .and("component_id = ?", query.componentId())
                .and("model = ?", query.model())
                .range("window_start", query.from(), query.to());
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT window_start, user_id, component_type, component_id, model, runs, failed_runs, input_tokens, output_tokens
                FROM usage_windows""" + where.where() + " ORDER BY window_start, user_id, component_type, component_id, model LIMIT ?")) {
            statement.setInt(where.bind(connection, statement), query.limit());
            List<UsageWindow> windows = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    windows.add(new UsageWindow(query.granularity(), Jdbc.instant(rows.getTimestamp("window_start")),
                            new UsageKey(rows.getString("user_id"), rows.getString("component_type"), rows.getString("component_id"),
                                    rows.getString("model")),
                            new UsageTotals(rows.getLong("runs"), rows.getLong("failed_runs"), rows.getLong("input_tokens"),
                                    rows.getLong("output_tokens"))));
                }
            }
            return windows;
        }
    }

    /** Erasing a user: their usage rows go with everything else of theirs. */
    public int deleteUser(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM usage_windows WHERE user_id = ?")) {
            statement.setString(1, userId);
            return statement.executeUpdate();
        }
    }
}
