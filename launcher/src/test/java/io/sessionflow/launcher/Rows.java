package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What the tests read back from Postgres, with plain SQL: the store under test is not used to check itself. */
final class Rows {

    private final Database database;

    Rows(Database database) {
        this.database = database;
    }

    long count(String sql, Object... params) {
        return database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    String text(String sql, Object... params) {
        List<String> values = texts(sql, params);
        return values.isEmpty() ? null : values.get(0);
    }

    List<String> texts(String sql, Object... params) {
        return database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                List<String> values = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
                return values;
            }
        });
    }

    ObjectNode sessionState(String sessionId) {
        return Json.parseObject(text("SELECT session_state FROM sessions WHERE session_id = ?", sessionId));
    }

    long totalRuns() {
        return count("SELECT count(*) FROM runs");
    }

    long totalSessions() {
        return count("SELECT count(*) FROM sessions");
    }
}
