package io.sessionflow.bench.store;

import io.sessionflow.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The substrate's limit: the run-worker's own per-run commit (insert the finished run row, update
 * the session row, one transaction), driven by as many threads as the pool has connections, each
 * on its own session, as fast as Postgres allows.
 */
final class PostgresCeiling {

    private PostgresCeiling() {
    }

    static double commitsPerSecond(Database database, int threads, Duration duration) throws InterruptedException {
        String prefix = "bench-ceiling-" + UUID.randomUUID();
        BenchSessions.seed(database, prefix, threads);
        AtomicLong commits = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 1; t <= threads; t++) {
            String session = prefix + "-" + t;
            Thread worker = new Thread(() -> {
                long version = 0;
                String state = "{\"turn\": 0}";
                while (System.nanoTime() < deadline) {
                    long expected = version;
                    database.inTransaction(c -> {
                        int index;
                        try (PreparedStatement update = c.prepareStatement("""
                                UPDATE sessions SET session_state = CAST(? AS jsonb), run_count = run_count + 1, version = version + 1,
                                       updated_at = now() WHERE session_id = ? AND version = ? RETURNING run_count""")) {
                            update.setString(1, state);
                            update.setString(2, session);
                            update.setLong(3, expected);
                            try (ResultSet rs = update.executeQuery()) {
                                rs.next();
                                index = rs.getInt(1);
                            }
                        }
                        try (PreparedStatement insert = c.prepareStatement("""
                                INSERT INTO runs (run_id, session_id, run_index, user_id, component_type, component_id, status, input,
                                                  content, messages, model, metrics, started_at, completed_at)
                                VALUES (?, ?, ?, 'bench', 'agent', 'bench-agent', 'completed', CAST(? AS jsonb), ?, CAST(? AS jsonb), 'synthetic',
                                        CAST(? AS jsonb), now(), now())""")) {
                            insert.setString(1, UUID.randomUUID().toString());
                            insert.setString(2, session);
                            insert.setInt(3, index);
                            insert.setString(4, "{\"message\": \"a benchmark message of ordinary length\"}");
                            insert.setString(5, "a synthetic answer of ordinary length");
                            insert.setString(6, "[{\"role\":\"user\",\"content\":\"a benchmark message\"},{\"role\":\"assistant\",\"content\":\"an answer\"}]");
                            insert.setString(7, "{\"input_tokens\": 12, \"output_tokens\": 16, \"model_latency_ms\": 0, \"total_latency_ms\": 1}");
                            insert.executeUpdate();
                        }
                        return null;
                    });
                    version++;
                    commits.incrementAndGet();
                }
            }, "bench-ceiling-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return commits.get() / (duration.toNanos() / 1e9);
    }
}
