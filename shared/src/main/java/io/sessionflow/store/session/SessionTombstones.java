package io.sessionflow.store.session;

import io.sessionflow.event.RunRequested;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is left of a deleted session: its id and when it was deleted, so that a run requested before
 * the deletion does not bring the session back (with its default state) when a worker gets to it.
 * {@link SessionStore#delete} writes a tombstone in the deleting statement itself.
 */
public final class SessionTombstones {

    /**
     * How long a tombstone is kept. A request made before a deletion reaches a worker long before this
     * (it waits on the topic at most as long as the topic keeps it, 7 days by Kafka's default); a
     * request older than this is not told apart from a new one.
     */
    public static final Duration RETENTION = Duration.ofDays(30);

    /**
     * Those of the requests that were made before their session was deleted: the session has a
     * tombstone no older than the request, and the run is not stored. A stored run survived the
     * deletion (which takes a session's runs with it), so it was registered afterwards, whatever the
     * clocks say. One statement, whatever the number of requests.
     *
     * @return their run ids
     */
    public Set<String> requestedBeforeDeletion(Connection connection, List<RunRequested> requests) throws SQLException {
        Set<String> runIds = new HashSet<>();
        if (requests.isEmpty()) {
            return runIds;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT r.run_id
                  FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS timestamptz[])) AS r(run_id, session_id, requested_at)
                  JOIN session_tombstones t ON t.session_id = r.session_id AND t.deleted_at >= r.requested_at
                 WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.run_id = r.run_id)""")) {
            select.setArray(1, connection.createArrayOf("text", requests.stream().map(RunRequested::runId).toArray()));
            select.setArray(2, connection.createArrayOf("text", requests.stream().map(RunRequested::sessionId).toArray()));
            select.setArray(3, connection.createArrayOf("timestamptz", requests.stream().map(r -> Timestamp.from(r.requestedAt())).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    runIds.add(rs.getString(1));
                }
            }
        }
        return runIds;
    }

    /** Forgets the tombstones older than {@link #RETENTION}. @return how many */
    int sweep(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM session_tombstones WHERE deleted_at < clock_timestamp() - CAST(? AS bigint) * interval '1 second'")) {
            delete.setLong(1, RETENTION.toSeconds());
            return delete.executeUpdate();
        }
    }
}
