package io.sessionflow.runworker.store;

import io.sessionflow.model.ToolCall;
import io.sessionflow.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable record of a run's tool calls ({@code run_tool_calls}), each write its own small
 * transaction so that it holds before the loop goes on. A call is {@code requested} when the model asks
 * for it, {@code started} just before an HTTP tool is called (claimed by one attempt only), then
 * {@code completed} or {@code failed} with its result; a call found {@code started} by a later attempt
 * may or may not have taken effect and is not repeated ({@code interrupted}).
 */
public final class ToolCallLog {

    /**
     * {@code approved} and {@code rejected} are a human's answers to a call that needs approval (a
     * rejected call is done: its result tells the model); an external tool's call is {@code completed}
     * with the result its caller sent.
     */
    public enum Status { REQUESTED, APPROVED, REJECTED, STARTED, COMPLETED, FAILED, INTERRUPTED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean isDone() {
            return this == COMPLETED || this == FAILED || this == INTERRUPTED || this == REJECTED;
        }
    }

    /** One recorded call of a round, with its result once done. */
    public record Recorded(ToolCall call, Status status, String result) {
    }

    /** One model call's tool calls as recorded: what the model said beside them, in its order. */
    public record Round(String said, List<Recorded> calls) {
        public List<ToolCall> toolCalls() {
            return calls.stream().map(Recorded::call).toList();
        }
    }

    private final Database database;

    public ToolCallLog(Database database) {
        this.database = database;
    }

    /** The run's recorded rounds by number. */
    public Map<Integer, Round> load(String runId) {
        return database.withConnection(c -> {
            Map<Integer, List<Object[]>> rows = new TreeMap<>();
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT round, call_id, name, arguments, said, status, result FROM run_tool_calls
                     WHERE run_id = ? ORDER BY round, position""")) {
                select.setString(1, runId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.computeIfAbsent(rs.getInt(1), r -> new ArrayList<>()).add(new Object[] {
                                new ToolCall(rs.getString(2), rs.getString(3), rs.getString(4)), rs.getString(5),
                                Status.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT)), rs.getString(7)});
                    }
                }
            }
            Map<Integer, Round> rounds = new TreeMap<>();
            rows.forEach((round, calls) -> rounds.put(round, new Round((String) calls.get(0)[1],
                    calls.stream().map(r -> new Recorded((ToolCall) r[0], (Status) r[2], (String) r[3])).toList())));
            return rounds;
        });
    }

    /**
     * Records the tool calls the model asked for in {@code round}, unless another attempt recorded that
     * round first. @return the round as recorded, which wins over this attempt's
     */
    public Round recordRound(String runId, int round, String said, List<ToolCall> calls) {
        database.inTransaction(c -> {
            // One attempt records a round, whole: two attempts of one run (a stale one and its successor)
            // may ask the model for the same round and get different calls, so the round is looked for
            // and written under a lock on the run's id, and the first attempt's calls are the round's.
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "run_tool_calls:" + runId);
                lock.execute();
            }
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM run_tool_calls WHERE run_id = ? AND round = ? LIMIT 1")) {
                exists.setString(1, runId);
                exists.setInt(2, round);
                try (var found = exists.executeQuery()) {
                    if (found.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO run_tool_calls (run_id, call_id, round, position, name, arguments, said, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'requested')
                    ON CONFLICT DO NOTHING""")) {
                for (int i = 0; i < calls.size(); i++) {
                    ToolCall call = calls.get(i);
                    insert.setString(1, runId);
                    insert.setString(2, call.id());
                    insert.setInt(3, round);
                    insert.setInt(4, i);
                    insert.setString(5, call.name());
                    insert.setString(6, call.arguments());
                    insert.setString(7, said);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        return load(runId).get(round);
    }

    /** Claims a requested (or approved) call for this attempt just before it is executed. @return false when another attempt has it */
    public boolean start(String runId, String callId) {
        return database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE run_tool_calls SET status = 'started' WHERE run_id = ? AND call_id = ? AND status IN ('requested', 'approved')""")) {
                update.setString(1, runId);
                update.setString(2, callId);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Records a call's outcome, once: a call already done keeps its first result. @return the result as recorded */
    public String finish(String runId, String callId, Status status, String result) {
        return database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE run_tool_calls SET status = ?, result = ?, completed_at = now()
                     WHERE run_id = ? AND call_id = ? AND status IN ('requested', 'approved', 'started')""")) {
                update.setString(1, status.wireName());
                update.setString(2, result);
                update.setString(3, runId);
                update.setString(4, callId);
                if (update.executeUpdate() == 1) {
                    return result;
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT result FROM run_tool_calls WHERE run_id = ? AND call_id = ?")) {
                select.setString(1, runId);
                select.setString(2, callId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() && rs.getString(1) != null ? rs.getString(1) : result;
                }
            }
        });
    }
}
