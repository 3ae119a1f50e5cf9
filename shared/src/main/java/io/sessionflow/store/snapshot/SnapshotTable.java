package io.sessionflow.store.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** One kind of snapshot's table (summaries or contexts), as the snapshot workers read and write it. */
public interface SnapshotTable<S extends Snapshot> {

    SnapshotTable<SessionSummary> SUMMARIES = new SnapshotTable<>() {
        private final SnapshotStore store = new SnapshotStore();

        @Override
        public Optional<SessionSummary> find(Connection connection, String sessionId) throws SQLException {
            return store.findSummary(connection, sessionId);
        }

        @Override
        public boolean save(Connection connection, SessionSummary summary, boolean rebuilt) throws SQLException {
            return rebuilt ? store.saveRebuiltSummary(connection, summary) : store.saveSummaryIfNewer(connection, summary);
        }
    };

    SnapshotTable<SessionContext> CONTEXTS = new SnapshotTable<>() {
        private final SnapshotStore store = new SnapshotStore();

        @Override
        public Optional<SessionContext> find(Connection connection, String sessionId) throws SQLException {
            return store.findContext(connection, sessionId);
        }

        @Override
        public boolean save(Connection connection, SessionContext context, boolean rebuilt) throws SQLException {
            return rebuilt ? store.saveRebuiltContext(connection, context) : store.saveContextIfNewer(connection, context);
        }
    };

    Optional<S> find(Connection connection, String sessionId) throws SQLException;

    /**
     * Stores monotonically: only if it covers more runs (or, {@code rebuilt}, as many under another prompt).
     * @return whether it was stored
     */
    boolean save(Connection connection, S snapshot, boolean rebuilt) throws SQLException;
}
