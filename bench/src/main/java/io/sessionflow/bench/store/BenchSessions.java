package io.sessionflow.bench.store;

import io.sessionflow.store.Database;
import java.sql.PreparedStatement;

/** Sessions the benchmark needs to exist before it starts, made in one statement. */
final class BenchSessions {

    private BenchSessions() {
    }

    /** Creates {@code count} empty sessions of the bench agent, named {@code <prefix>-1} to {@code <prefix>-<count>}. */
    static void seed(Database database, String prefix, int count) {
        database.withConnection(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO sessions (session_id, session_type, user_id, component_id)
                    SELECT ? || '-' || g, 'agent', 'bench', 'bench-agent' FROM generate_series(1, ?) g""")) {
                insert.setString(1, prefix);
                insert.setInt(2, count);
                return insert.executeUpdate();
            }
        });
    }
}
