package io.sessionflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The WHERE clause of a filtered query: each condition (one {@code ?}) is added only when its value is
 * given, and the values are bound in the order their conditions were added. Every value is bound as a
 * parameter, never written into the SQL. Instants are bound as timestamps and collections as text arrays,
 * so the stores pass their filters' own values.
 */
public final class Conditions {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** Adds {@code condition} with its value, unless the value is null (no filter). */
    public Conditions and(String condition, Object value) {
        if (value != null) {
            conditions.add(condition);
            values.add(value);
        }
        return this;
    }

    /** Adds a condition that takes no value. */
    public Conditions and(String condition) {
        conditions.add(condition);
        return this;
    }

    /** {@code column >= from AND column < to}, each bound only when given. */
    public Conditions range(String column, Instant from, Instant to) {
        return and(column + " >= ?", from).and(column + " < ?", to);
    }

    /** {@code " WHERE a AND b ..."}, or nothing when there is no condition. */
    public String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the values from the first parameter on. @return the index of the next parameter (a limit, an offset) */
    public int bind(Connection connection, PreparedStatement statement) throws SQLException {
        int i = 1;
        for (Object value : values) {
            if (value instanceof Instant instant) {
                statement.setTimestamp(i++, Timestamp.from(instant));
            } else if (value instanceof Collection<?> collection) {
                statement.setArray(i++, connection.createArrayOf("text", collection.toArray()));
            } else {
                statement.setObject(i++, value);
            }
        }
        return i;
    }
}
