package io.sessionflow.bench.store;

import io.sessionflow.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What the benchmark reads back from the rows the pipeline wrote: where a run's time went, and how fresh snapshots are. */
public final class BenchRows {

    private final Database database;

    public BenchRows(Database database) {
        this.database = database;
    }

    /** Creates {@code count} empty sessions of the bench agent, {@code <prefix>-1} to {@code <prefix>-<count>}. */
    public void seedSessions(String prefix, int count) {
        BenchSessions.seed(database, prefix, count);
    }

    /** The run-worker's own per-run commit, as fast as Postgres allows: commits a second. */
    public double ceiling(int threads, java.time.Duration duration) throws InterruptedException {
        return PostgresCeiling.commitsPerSecond(database, threads, duration);
    }

    /**
     * Completed runs of the sessions {@code <prefix>-*}, in milliseconds: {p50, p99} of accepted → claimed by a
     * worker, then {p50, p99} of claimed → committed.
     */
    public double[] stages(String sessionPrefix) {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)),
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)),
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at))
                      FROM runs WHERE session_id LIKE ? AND status = 'completed'""")) {
                select.setString(1, sessionPrefix + "-%");
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new double[] {rs.getDouble(1) * 1000, rs.getDouble(2) * 1000, rs.getDouble(3) * 1000, rs.getDouble(4) * 1000};
                }
            }
        });
    }

    /** Sessions {@code <prefix>-*} whose summary covers their run {@code runIndex}. */
    public long summariesCovering(String sessionPrefix, int runIndex) {
        return count("SELECT count(*) FROM session_summaries WHERE session_id LIKE ? AND up_to_run_index = ?", sessionPrefix, runIndex);
    }

    /** Per session {@code <prefix>-*}: from the completion of the last run its summary covers to that summary being stored. */
    public List<Double> summaryLags(String sessionPrefix) {
        return millis("""
                SELECT extract(epoch FROM (s.updated_at - r.completed_at)) * 1000
                  FROM session_summaries s JOIN runs r ON r.session_id = s.session_id AND r.run_index = s.up_to_run_index
                 WHERE s.session_id LIKE ?""", sessionPrefix);
    }

    /** Sessions {@code <prefix>-*} whose user's memories have been extracted up to their run {@code runIndex}. */
    public long memoriesCovering(String sessionPrefix, int runIndex) {
        return count("SELECT count(*) FROM user_memory_progress WHERE session_id LIKE ? AND up_to_run_index = ?", sessionPrefix, runIndex);
    }

    /**
     * Per session {@code <prefix>-*}: from the completion of the last run extraction has read to the memories
     * learnt from it being stored (the progress row is written in the transaction that applies them).
     */
    public List<Double> memoryLags(String sessionPrefix) {
        return millis("""
                SELECT extract(epoch FROM (p.updated_at - r.completed_at)) * 1000
                  FROM user_memory_progress p JOIN runs r ON r.session_id = p.session_id AND r.run_index = p.up_to_run_index
                 WHERE p.session_id LIKE ?""", sessionPrefix);
    }

    private long count(String sql, String sessionPrefix, int runIndex) {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, sessionPrefix + "-%");
                select.setInt(2, runIndex);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private List<Double> millis(String sql, String sessionPrefix) {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, sessionPrefix + "-%");
                List<Double> values = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getDouble(1));
                    }
                }
                return values;
            }
        });
    }
}
