package io.sessionflow.store.run;

import io.sessionflow.event.PendingToolCall;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.store.Jdbc;
import io.sessionflow.run.ContinuationRefusedException;
import io.sessionflow.run.ContinuationRefusedException.Reason;
import java.io.IOException;
import io.sessionflow.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Paused runs in Postgres: a run that waits for tool results or approvals is {@code paused}, with its
 * request kept to resume it and its pending calls marked in {@code run_tool_calls}. Answers are
 * written there in one transaction with the run's {@code continued_at}; the run is then due to resume
 * (its request is sent through its session's lane again, and the claim turns it {@code running}).
 */
public final class PausedRuns {

    /** A paused run that timed out or whose resume was not sent: its request, to send through its lane. */
    public record Due(RunRequested request) {
    }

    /**
     * Stores a running run as paused until {@code expiresAt}, waiting on {@code pending}.
     *
     * @return false when the run is no longer running (cancelled meanwhile): nothing was stored
     */
    public boolean pause(Connection c, RunRequested request, List<PendingToolCall> pending, Instant expiresAt) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE runs SET status = 'paused', request = CAST(? AS jsonb), paused_at = now(), pause_expires_at = ?,
                                continued_at = NULL, updated_at = now()
                 WHERE run_id = ? AND status = 'running'""")) {
            update.setString(1, Json.toText(request));
            update.setTimestamp(2, Timestamp.from(expiresAt));
            update.setString(3, request.runId());
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement mark = c.prepareStatement(
                "UPDATE run_tool_calls SET awaiting = ? WHERE run_id = ? AND call_id = ? AND status = 'requested'")) {
            for (PendingToolCall call : pending) {
                mark.setString(1, call.awaiting().wireName());
                mark.setString(2, request.runId());
                mark.setString(3, call.callId());
                mark.addBatch();
            }
            mark.executeBatch();
        }
        return true;
    }

    /** How a paused run waits: since when, until when, and on which calls. */
    public record Pause(Instant pausedAt, Instant expiresAt, List<PendingToolCall> pendingToolCalls) {
    }

    /** How the run waits, if it is paused. */
    public Optional<Pause> pause(Connection c, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT paused_at, pause_expires_at FROM runs WHERE run_id = ? AND status = 'paused'")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Pause(Jdbc.instant(rs.getTimestamp(1)), Jdbc.instant(rs.getTimestamp(2)), pendingCalls(c, runId)));
            }
        }
    }

    /** The event that announced the run's pause, rebuilt from Postgres, if it is paused. */
    public Optional<RunPaused> describe(Connection c, RunRequested request) throws SQLException {
        return pause(c, request.runId()).filter(p -> !p.pendingToolCalls().isEmpty())
                .map(p -> RunPaused.of(request, p.pendingToolCalls(), p.pausedAt(), p.expiresAt()));
    }

    /** The request of a run that was paused or parked (kept to send it through its lane again). */
    public Optional<RunRequested> storedRequest(Connection c, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT request::text FROM runs WHERE run_id = ? AND request IS NOT NULL")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(readRequest(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** The calls a paused run waits on, in the order the model asked for them (none if it is not paused). */
    public List<PendingToolCall> pendingCalls(Connection c, String runId) throws SQLException {
        List<PendingToolCall> pending = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT t.call_id, t.name, t.arguments, t.awaiting FROM run_tool_calls t JOIN runs r ON r.run_id = t.run_id
                 WHERE t.run_id = ? AND r.status = 'paused' AND t.status = 'requested' AND t.awaiting IS NOT NULL
                 ORDER BY t.round, t.position""")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    pending.add(new PendingToolCall(rs.getString(1), rs.getString(2), rs.getString(3),
                            PendingToolCall.Awaiting.fromWireName(rs.getString(4))));
                }
            }
        }
        return pending;
    }

    /**
     * Takes the answers to a paused run: each pending call gets its result, or its approval (a rejected
     * call's result tells the model so), and the run is due to resume. All or nothing.
     *
     * @param sessionId the session the answer was addressed to (a topic record's key), or null (HTTP: the run says)
     * @return the run's request, to send through its session's lane
     * @throws ContinuationRefusedException when the run is unknown or not paused, or the answers do not fit its calls
     */
    public RunRequested continueRun(Connection c, String runId, String sessionId, List<RunContinuation.ToolResult> results,
                                    List<RunContinuation.Approval> approvals) throws SQLException {
        String status;
        String request;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT status, session_id, request::text, continued_at IS NOT NULL FROM runs WHERE run_id = ? FOR UPDATE")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || sessionId != null && !sessionId.equals(rs.getString(2))) {
                    throw new ContinuationRefusedException(Reason.NOT_FOUND, null, "run " + runId + " not found");
                }
                status = rs.getString(1);
                request = rs.getString(3);
                if ("paused".equals(status) && rs.getBoolean(4)) {
                    throw new ContinuationRefusedException(Reason.NOT_PAUSED, null, "run " + runId + " has been continued already");
                }
            }
        }
        if (!"paused".equals(status)) {
            throw new ContinuationRefusedException(Reason.NOT_PAUSED, null, "run " + runId + " is " + status + ", not paused");
        }
        Map<String, PendingToolCall> pending = new LinkedHashMap<>();
        pendingCalls(c, runId).forEach(call -> pending.put(call.callId(), call));
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            check(pending, answered, results.get(i).callId(), PendingToolCall.Awaiting.RESULT, "tool_results[" + i + "].call_id");
        }
        for (int i = 0; i < approvals.size(); i++) {
            check(pending, answered, approvals.get(i).callId(), PendingToolCall.Awaiting.APPROVAL, "approvals[" + i + "].call_id");
            if (approvals.get(i).approved() == null) {
                throw new ContinuationRefusedException(Reason.INVALID, "approvals[" + i + "].approved", "approved must be true or false");
            }
        }
        for (PendingToolCall call : pending.values()) {
            if (!answered.contains(call.callId())) {
                boolean result = call.awaiting() == PendingToolCall.Awaiting.RESULT;
                throw new ContinuationRefusedException(Reason.INVALID, result ? "tool_results" : "approvals",
                        (result ? "no result for call " : "no approval for call ") + call.callId() + " (" + call.toolName() + ")");
            }
        }
        try (PreparedStatement answer = c.prepareStatement("""
                UPDATE run_tool_calls SET status = ?, result = ?, completed_at = CASE WHEN ? THEN now() END
                 WHERE run_id = ? AND call_id = ? AND status = 'requested'""")) {
            for (RunContinuation.ToolResult result : results) {
                answer(answer, runId, result.callId(), "completed", result.text());
            }
            for (RunContinuation.Approval approval : approvals) {
                if (approval.approved()) {
                    answer(answer, runId, approval.callId(), "approved", null);
                } else {
                    String reason = approval.reason() == null || approval.reason().isBlank() ? "" : ": " + approval.reason();
                    answer(answer, runId, approval.callId(), "rejected", "rejected by the user" + reason);
                }
            }
            answer.executeBatch();
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE runs SET continued_at = now(), updated_at = now() WHERE run_id = ?")) {
            update.setString(1, runId);
            update.executeUpdate();
        }
        return readRequest(request);
    }

    private static void check(Map<String, PendingToolCall> pending, Set<String> answered, String callId, PendingToolCall.Awaiting kind,
                              String field) {
        PendingToolCall call = callId == null ? null : pending.get(callId);
        if (call == null) {
            throw new ContinuationRefusedException(Reason.INVALID, field, "the run waits on no call '" + callId + "'");
        }
        if (call.awaiting() != kind) {
            throw new ContinuationRefusedException(Reason.INVALID, field, "call " + callId + " (" + call.toolName() + ") waits for "
                    + (call.awaiting() == PendingToolCall.Awaiting.RESULT ? "a result, not an approval" : "an approval, not a result"));
        }
        if (!answered.add(callId)) {
            throw new ContinuationRefusedException(Reason.INVALID, field, "call " + callId + " is answered twice");
        }
    }

    private static void answer(PreparedStatement answer, String runId, String callId, String status, String result) throws SQLException {
        answer.setString(1, status);
        answer.setString(2, result);
        answer.setBoolean(3, !"approved".equals(status));
        answer.setString(4, runId);
        answer.setString(5, callId);
        answer.addBatch();
    }

    /**
     * Fails the paused runs whose pause has expired, at most {@code limit} of them, skipping any another
     * sweeper holds. @return their requests (the caller sends each through its lane, which announces it)
     */
    public List<Due> failExpired(Connection c, int limit) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE runs SET status = 'failed', completed_at = now(), updated_at = now(),
                                error = 'timed out after ' || round(extract(epoch FROM pause_expires_at - paused_at))::bigint
                                        || ' s paused: no tool results or approvals came (pause timeout)'
                 WHERE run_id IN (SELECT run_id FROM runs WHERE status = 'paused' AND pause_expires_at <= now()
                                   ORDER BY pause_expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING request::text""")) {
            update.setInt(1, limit);
            return dues(update);
        }
    }

    /**
     * Paused runs answered more than {@code graceSeconds} ago that have not resumed: their resume was
     * lost (a crash between storing the answers and sending the request). Each is sent again; a
     * duplicate is harmless, because the claim takes a run once.
     */
    public List<Due> lostResumes(Connection c, int graceSeconds, int limit) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE runs SET continued_at = now()
                 WHERE run_id IN (SELECT run_id FROM runs WHERE status = 'paused' AND continued_at < now() - make_interval(secs => ?)
                                   LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING request::text""")) {
            update.setInt(1, graceSeconds);
            update.setInt(2, limit);
            return dues(update);
        }
    }

    private static List<Due> dues(PreparedStatement statement) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Optional.ofNullable(rs.getString(1)).map(PausedRuns::readRequest).map(Due::new).ifPresent(due::add);
            }
        }
        return due;
    }

    /** A run request as stored with its run (in {@code runs.request}) while the run is paused or parked. */
    public static RunRequested readRequest(String json) {
        try {
            return Json.read(json.getBytes(StandardCharsets.UTF_8), RunRequested.class);
        } catch (IOException e) {
            throw new StoreException("a stored run request cannot be read: " + e.getMessage(), e); // not transient: a retry reads the same
        }
    }
}
