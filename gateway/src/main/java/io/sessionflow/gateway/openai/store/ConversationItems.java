package io.sessionflow.gateway.openai.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A conversation's items for cursor paging: the messages stored on the session's completed
 * top-level runs (as {@code SessionMessages} reads them), addressed by (run index, turn), so a page
 * "after" an item is a keyset query that later runs never shift.
 */
public final class ConversationItems {

    private static final String SELECT = """
            SELECT r.run_id, r.run_index, m.turn, m.message, r.completed_at
              FROM runs r CROSS JOIN LATERAL jsonb_array_elements(COALESCE(r.messages, '[]'::jsonb)) WITH ORDINALITY AS m(message, turn)
             WHERE r.session_id = ? AND r.status = 'completed' AND r.parent_run_id IS NULL AND r.run_index IS NOT NULL
            """;

    /** One stored message with its place in the conversation. */
    public record Item(String runId, int runIndex, int turn, ObjectNode message, java.time.Instant createdAt) {
    }

    /** Where a page starts: after this (run index, turn), in the page's order. */
    public record Cursor(int runIndex, int turn) {
        public static final Cursor BEFORE_FIRST = new Cursor(0, 0);
        public static final Cursor AFTER_LAST = new Cursor(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Up to {@code limit} items after the cursor, oldest first or newest first. */
    public List<Item> page(Connection connection, String sessionId, Cursor after, boolean newestFirst, int limit) throws SQLException {
        String sql = SELECT + (newestFirst
                ? " AND (r.run_index, m.turn) < (?, ?) ORDER BY r.run_index DESC, m.turn DESC LIMIT ?"
                : " AND (r.run_index, m.turn) > (?, ?) ORDER BY r.run_index, m.turn LIMIT ?");
        List<Item> items = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, sessionId);
            select.setInt(2, after.runIndex());
            select.setLong(3, after.turn());
            select.setInt(4, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp completed = rs.getTimestamp(5);
                    items.add(new Item(rs.getString(1), rs.getInt(2), rs.getInt(3), Json.parseObject(rs.getString(4)),
                            completed == null ? null : completed.toInstant()));
                }
            }
        }
        return items;
    }

    /** The run index of a completed top-level run of this session, to turn an item id back into a cursor. */
    public OptionalInt runIndex(Connection connection, String sessionId, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT run_index FROM runs WHERE run_id = ? AND session_id = ? AND run_index IS NOT NULL AND parent_run_id IS NULL")) {
            select.setString(1, runId);
            select.setString(2, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        }
    }
}
