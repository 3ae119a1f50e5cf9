package io.sessionflow.runworker.store;

import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.store.Jdbc;
import io.sessionflow.store.run.PausedRuns;
import io.sessionflow.store.run.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runs of a session that wait behind a paused run, in Postgres rather than in a worker: a run that
 * arrives while its session has a paused run (or earlier parked runs) is <i>parked</i>, still
 * {@code pending}, with a place in the queue and its request kept; its record is done and no thread
 * waits for it. When the paused run ends, the head of the queue is sent through the session's lane
 * again; each run that leaves the queue sends the next when it ends. Whatever ends a run takes the
 * session's row lock first, and a run start holds a share of it, so a run cannot park unseen by the
 * release that would wake it.
 */
public final class SessionQueue {

    /** Of a session in a start batch: its paused run, if any, and its parked runs by place in the queue. */
    public record Waiting(String pausedRunId, boolean pausedRunContinued, Map<String, Long> parked) {

        /** Whether {@code runId} must wait: another run is paused, or parked runs are ahead of it. */
        public boolean holdsBack(String runId) {
            if (pausedRunId != null && !pausedRunId.equals(runId)) {
                return true;
            }
            Long place = parked.get(runId);
            return parked.entrySet().stream().anyMatch(e -> !e.getKey().equals(runId) && (place == null || e.getValue() < place));
        }

        /** Whether runs other than {@code runId} are parked: ending it must wake the next. */
        public boolean othersParked(String runId) {
            return parked.keySet().stream().anyMatch(id -> !id.equals(runId));
        }
    }

    public static final Waiting NOTHING = new Waiting(null, false, Map.of());

    /** What waits in each of the sessions (only sessions with something waiting appear), in one statement. */
    public Map<String, Waiting> waiting(Connection c, Collection<String> sessionIds) throws SQLException {
        Map<String, String> paused = new HashMap<>();
        Map<String, Boolean> continued = new HashMap<>();
        Map<String, Map<String, Long>> parked = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT session_id, run_id, status, parked_seq, continued_at IS NOT NULL FROM runs
                 WHERE session_id = ANY (?) AND (status = 'paused' OR (parked_seq IS NOT NULL AND status = 'pending'))""")) {
            select.setArray(1, c.createArrayOf("text", sessionIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String session = rs.getString(1);
                    if ("paused".equals(rs.getString(3))) {
                        paused.put(session, rs.getString(2));
                        continued.put(session, rs.getBoolean(5));
                    } else {
                        parked.computeIfAbsent(session, s -> new HashMap<>()).put(rs.getString(2), rs.getLong(4));
                    }
                }
            }
        }
        Map<String, Waiting> result = new HashMap<>();
        for (String session : sessionIds) {
            if (paused.containsKey(session) || parked.containsKey(session)) {
                result.put(session, new Waiting(paused.get(session), continued.getOrDefault(session, false),
                        parked.getOrDefault(session, Map.of())));
            }
        }
        return result;
    }

    /**
     * Parks runs (stored as pending if new) at the end of their session's queue; a parked run keeps its
     * place. @return the ids parked: a run left out is not pending (finished already), and its outcome stands
     */
    public Set<String> park(Connection c, List<RunRequested> requests) throws SQLException {
        Set<String> parked = new HashSet<>();
        if (requests.isEmpty()) {
            return parked;
        }
        new RunStore().insertAllPending(c, requests);
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE runs SET parked_seq = COALESCE(parked_seq, nextval('runs_parked_seq')), request = CAST(? AS jsonb), updated_at = now()
                 WHERE run_id = ? AND status = 'pending'""")) {
            for (RunRequested request : requests) {
                update.setString(1, Json.toText(request));
                update.setString(2, request.runId());
                update.addBatch();
            }
            boolean[] changed = Jdbc.eachChangedOneRow(update.executeBatch());
            for (int i = 0; i < changed.length; i++) {
                if (changed[i]) {
                    parked.add(requests.get(i).runId());
                }
            }
        }
        return parked;
    }

    /**
     * The next parked run of the session, once nothing paused holds the queue: its request, to send
     * through the session's lane (where it waits behind anything still running). Call in a transaction
     * of its own, after the run that held the queue has ended.
     */
    public Optional<RunRequested> releaseHead(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM sessions WHERE session_id = ? FOR UPDATE")) {
            lock.setString(1, sessionId);
            lock.executeQuery().close();
        }
        try (PreparedStatement head = c.prepareStatement("""
                UPDATE runs SET dispatched_at = now()
                 WHERE run_id = (SELECT run_id FROM runs WHERE session_id = ? AND parked_seq IS NOT NULL AND status = 'pending'
                                  ORDER BY parked_seq LIMIT 1)
                   AND NOT EXISTS (SELECT 1 FROM runs WHERE session_id = ? AND status = 'paused')
                RETURNING request::text""")) {
            head.setString(1, sessionId);
            head.setString(2, sessionId);
            try (ResultSet rs = head.executeQuery()) {
                return rs.next() ? Optional.of(PausedRuns.readRequest(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Heads of queues that nothing paused holds any longer and that have not been sent for
     * {@code graceSeconds}: a release lost to a crash, sent again (a duplicate is harmless: a run is
     * claimed once, and a parked run that finds the queue held stays parked).
     */
    public List<RunRequested> strandedHeads(Connection c, int graceSeconds) throws SQLException {
        List<RunRequested> heads = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE runs SET dispatched_at = now()
                 WHERE run_id IN (
                       SELECT DISTINCT ON (h.session_id) h.run_id FROM runs h
                        WHERE h.parked_seq IS NOT NULL AND h.status = 'pending'
                          AND NOT EXISTS (SELECT 1 FROM runs p WHERE p.session_id = h.session_id AND p.status = 'paused')
                        ORDER BY h.session_id, h.parked_seq)
                   AND COALESCE(dispatched_at, updated_at) < now() - make_interval(secs => ?)
                RETURNING request::text""")) {
            update.setInt(1, graceSeconds);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    heads.add(PausedRuns.readRequest(rs.getString(1)));
                }
            }
        }
        return heads;
    }
}
