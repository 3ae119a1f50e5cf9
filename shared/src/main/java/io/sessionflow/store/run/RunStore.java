package io.sessionflow.store.run;

import io.sessionflow.store.Jdbc;
import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and writes run rows. A run is inserted once and finished once; nothing reads a session's whole history. */
public final class RunStore {

    private static final String COLUMNS = """
            run_id, session_id, run_index, parent_run_id, user_id, component_type, component_id, status, input,
            content, messages, model, metrics, error, created_at, started_at, completed_at""";

    /**
     * Stores a team member's run as pending under its team run, unless it is already stored. A member
     * run is not a request of its own: its id is derived from the team run's. @return the member run's id
     */
    public String insertPendingMember(Connection connection, RunRequested teamRun, String memberId) throws SQLException {
        String memberRunId = Ids.memberRunId(teamRun.runId(), memberId);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO runs (run_id, session_id, parent_run_id, user_id, component_type, component_id, status, input, created_at)
                VALUES (?, ?, ?, ?, 'agent', ?, 'pending', CAST(? AS jsonb), ?)
                ON CONFLICT (run_id) DO NOTHING""")) {
            insert.setString(1, memberRunId);
            insert.setString(2, teamRun.sessionId());
            insert.setString(3, teamRun.runId());
            insert.setString(4, teamRun.userId());
            insert.setString(5, memberId);
            insert.setString(6, Json.toText(Json.object().put("message", teamRun.input().message())));
            insert.setTimestamp(7, java.sql.Timestamp.from(teamRun.requestedAt()));
            insert.executeUpdate();
        }
        return memberRunId;
    }

    /** Stores top-level runs as pending unless they are stored already, in one round trip (a JDBC batch). */
    public void insertAllPending(Connection connection, List<RunRequested> requests) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO runs (run_id, session_id, user_id, component_type, component_id, status, input, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', CAST(? AS jsonb), ?)
                ON CONFLICT (run_id) DO NOTHING""")) {
            for (RunRequested request : requests) {
                insert.setString(1, request.runId());
                insert.setString(2, request.sessionId());
                insert.setString(3, request.userId());
                insert.setString(4, request.componentType().wireName());
                insert.setString(5, request.componentId());
                insert.setString(6, Json.toText(inputOf(request)));
                insert.setTimestamp(7, java.sql.Timestamp.from(request.requestedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public Optional<RunRecord> find(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE run_id = ?")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The runs whose parent is this run (a team's members, a workflow's steps), in the order they were numbered, then created. */
    public List<RunRecord> children(Connection connection, String parentRunId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM runs WHERE parent_run_id = ? ORDER BY run_index NULLS LAST, created_at, run_id")) {
            select.setString(1, parentRunId);
            List<RunRecord> result = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs));
                }
            }
            return result;
        }
    }

    /** Cancels a run's unfinished children (a workflow's step in flight) together with the run. @return how many */
    public int cancelUnfinishedChildren(Connection connection, String parentRunId, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE runs SET status = 'cancelled', error = ?, completed_at = now(), updated_at = now()
                 WHERE parent_run_id = ? AND status IN ('pending', 'running')""")) {
            update.setString(1, error);
            update.setString(2, parentRunId);
            return update.executeUpdate();
        }
    }

    /**
     * One page of a session's runs by run index (runs not yet numbered, pending or failed, by
     * creation time at the newest end).
     */
    public List<RunRecord> listBySession(Connection connection, String sessionId, boolean newestFirst, int page, int limit)
            throws SQLException {
        String order = newestFirst ? "run_index DESC NULLS FIRST, created_at DESC, run_id DESC" : "run_index ASC NULLS LAST, created_at ASC, run_id ASC";
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM runs WHERE session_id = ? ORDER BY " + order + " LIMIT ? OFFSET ?")) {
            select.setString(1, sessionId);
            select.setInt(2, limit);
            select.setLong(3, (long) (page - 1) * limit);
            List<RunRecord> result = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs));
                }
            }
            return result;
        }
    }

    public long countBySession(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM runs WHERE session_id = ?")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs accepted and not finished: the backlog the gateway bounds. */
    public long countUnfinished(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM runs WHERE status IN ('pending', 'running')");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Those of the given runs that are cancelled now, or gone: a run in progress loses its row only
     * when its session is deleted, and then it is as good as cancelled.
     */
    public Set<String> cancelledOrGoneAmong(Connection connection, Collection<String> runIds) throws SQLException {
        Set<String> ended = new HashSet<>();
        if (runIds.isEmpty()) {
            return ended;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id FROM unnest(CAST(? AS text[])) AS id
                 WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = id AND status <> 'cancelled')""")) {
            select.setArray(1, connection.createArrayOf("text", runIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getString(1));
                }
            }
        }
        return ended;
    }

    /**
     * Claims runs for execution in one statement (top-level runs, and workflow steps under their workflow run): a run not stored yet (published straight
     * to the topic) is stored as running; a stored one is claimed if it is unfinished (pending, or
     * running after a worker died mid-run), and a paused one once its answers are in (it resumes).
     *
     * @return the ids claimed; a run left out is finished already and its stored outcome stands
     */
    public Set<String> claimAll(Connection connection, List<RunRequested> requests) throws SQLException {
        Set<String> claimed = new HashSet<>();
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO runs (run_id, session_id, user_id, component_type, component_id, status, input, created_at, started_at,
                                  parent_run_id)
                SELECT r.run_id, r.session_id, r.user_id, r.component_type, r.component_id, 'running', CAST(r.input AS jsonb), r.created_at, now(),
                       r.parent_run_id
                  FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                              CAST(? AS text[]), CAST(? AS timestamptz[]), CAST(? AS text[]))
                       AS r(run_id, session_id, user_id, component_type, component_id, input, created_at, parent_run_id)
                ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = COALESCE(runs.started_at, now()), updated_at = now(),
                                                   parked_seq = NULL, pause_expires_at = NULL, continued_at = NULL
                 WHERE runs.status IN ('pending', 'running') OR (runs.status = 'paused' AND runs.continued_at IS NOT NULL)
                RETURNING run_id""")) {
            upsert.setArray(1, connection.createArrayOf("text", requests.stream().map(RunRequested::runId).toArray()));
            upsert.setArray(2, connection.createArrayOf("text", requests.stream().map(RunRequested::sessionId).toArray()));
            upsert.setArray(3, connection.createArrayOf("text", requests.stream().map(RunRequested::userId).toArray()));
            upsert.setArray(4, connection.createArrayOf("text", requests.stream().map(r -> r.componentType().wireName()).toArray()));
            upsert.setArray(5, connection.createArrayOf("text", requests.stream().map(RunRequested::componentId).toArray()));
            upsert.setArray(6, connection.createArrayOf("text", requests.stream().map(r -> Json.toText(inputOf(r))).toArray()));
            upsert.setArray(7, connection.createArrayOf("timestamptz",
                    requests.stream().map(r -> java.sql.Timestamp.from(r.requestedAt())).toArray()));
            upsert.setArray(8, connection.createArrayOf("text", requests.stream().map(RunRequested::parentRunId).toArray()));
            try (ResultSet rs = upsert.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
        }
        return claimed;
    }

    /**
     * Locks those of the runs that are unfinished until the transaction ends, so that nothing (a
     * cancel) finishes them meanwhile. @return the ids locked
     */
    public Set<String> lockUnfinished(Connection connection, Collection<String> runIds) throws SQLException {
        return ids(connection, "SELECT run_id FROM runs WHERE run_id = ANY (?) AND status IN ('pending', 'running') FOR UPDATE", runIds);
    }

    private static Set<String> ids(Connection connection, String sql, Collection<String> runIds) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", runIds.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** A run's result, to store as it completes. Member runs of a team have a null index: only top-level runs are numbered. */
    public record Completion(String runId, Integer runIndex, String content, List<ChatMessage> turns, String model, RunMetrics metrics) {
    }

    /** Finishes an unfinished run as completed. @return whether the run was unfinished (and is now completed) */
    public boolean complete(Connection connection, Completion completion) throws SQLException {
        return completeAll(connection, List.of(completion))[0];
    }

    /** {@link #complete} for many runs in one round trip (a JDBC batch). @return per run, whether it was unfinished */
    public boolean[] completeAll(Connection connection, List<Completion> completions) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE runs SET status = 'completed', run_index = ?, content = ?, messages = CAST(? AS jsonb), model = ?,
                                metrics = CAST(? AS jsonb), completed_at = now(), updated_at = now(),
                                started_at = COALESCE(started_at, now())
                 WHERE run_id = ? AND status IN ('pending', 'running')""")) {
            for (Completion completion : completions) {
                update.setObject(1, completion.runIndex(), java.sql.Types.INTEGER);
                update.setString(2, completion.content());
                update.setString(3, Json.toText(completion.turns()));
                update.setString(4, completion.model());
                update.setString(5, Json.toText(completion.metrics()));
                update.setString(6, completion.runId());
                update.addBatch();
            }
            return Jdbc.eachChangedOneRow(update.executeBatch());
        }
    }

    /** Finishes an unfinished run (paused included) as failed or cancelled. @return whether it was unfinished */
    public boolean finishUnsuccessfully(Connection connection, String runId, RunStatus status, String error) throws SQLException {
        if (status != RunStatus.FAILED && status != RunStatus.CANCELLED) {
            throw new IllegalArgumentException("not an unsuccessful status: " + status);
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE runs SET status = ?, error = ?, completed_at = now(), updated_at = now()
                 WHERE run_id = ? AND status IN ('pending', 'running', 'paused')""")) {
            update.setString(1, status.wireName());
            update.setString(2, error);
            update.setString(3, runId);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * The completed top-level runs numbered {@code from} to {@code to}, oldest first, at most
     * {@code limit} of them: the new part of a conversation, read by index range.
     */
    public List<RunTurns> completedTurns(Connection connection, String sessionId, int from, int to, int limit) throws SQLException {
        List<RunTurns> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT run_index, input->>'message', content FROM runs
                 WHERE session_id = ? AND run_index BETWEEN ? AND ? AND status = 'completed' AND parent_run_id IS NULL
                 ORDER BY run_index
                 LIMIT ?""")) {
            select.setString(1, sessionId);
            select.setInt(2, from);
            select.setInt(3, to);
            select.setInt(4, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(new RunTurns(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return result;
    }

    /** The index of the session's latest completed top-level run, or 0. */
    public int latestCompletedIndex(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT COALESCE(max(run_index), 0) FROM runs
                 WHERE session_id = ? AND status = 'completed' AND parent_run_id IS NULL""")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static JsonNode inputOf(RunRequested request) {
        var input = Json.object().put("message", request.input().message());
        if (request.sessionState() != null) {
            input.set("session_state", request.sessionState());
        }
        if (request.overwriteSessionState()) {
            input.put("overwrite_session_state", true);
        }
        if (request.webhookUrl() != null) {
            input.put("webhook_url", request.webhookUrl());
        }
        return input;
    }

    static RunRecord read(ResultSet rs) throws SQLException {
        return new RunRecord(
                rs.getString("run_id"),
                rs.getString("session_id"),
                // Null until the run completes (and always for member runs): read as an object, not as 0.
                rs.getObject("run_index", Integer.class),
                rs.getString("parent_run_id"),
                rs.getString("user_id"),
                ComponentType.fromWireName(rs.getString("component_type")),
                rs.getString("component_id"),
                RunStatus.fromWireName(rs.getString("status")),
                Json.parse(rs.getString("input")),
                rs.getString("content"),
                jsonOrNull(rs.getString("messages")),
                rs.getString("model"),
                jsonOrNull(rs.getString("metrics")),
                rs.getString("error"),
                Jdbc.instant(rs.getTimestamp("created_at")),
                Jdbc.instant(rs.getTimestamp("started_at")),
                Jdbc.instant(rs.getTimestamp("completed_at")));
    }

    private static JsonNode jsonOrNull(String text) {
        return text == null ? null : Json.parse(text);
    }
}
