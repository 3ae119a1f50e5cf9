package io.sessionflow.runworker.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunRequested;
import io.sessionflow.store.run.RunRegistration;
import io.sessionflow.run.SessionMismatchException;
import io.sessionflow.store.Database;
import io.sessionflow.store.GroupCommit;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import io.sessionflow.store.session.SessionTombstones;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The first of a run's two transactions, group-committed across sessions: the session exists (made
 * with the component's default state if new) and is the requester's, the run is stored and claimed,
 * and what the run remembers of its session is read; a run requested before its session was deleted
 * is neither stored nor claimed, and does not bring the session back. A run of a session that has a
 * paused run is parked behind it instead of claimed ({@link SessionQueue}). A batch of any size takes
 * seven statements, eight when a run is shown its user's memories (and two more when runs are parked).
 */
public final class RunStarts implements AutoCloseable {

    /**
     * A run to start, with what its component asks to read of the session (with
     * {@code historyAfterSummary}, only the runs its summary does not cover are read as history), and how
     * many of the user's memories it is shown (0: the component shows none, and neither memories nor
     * profile are read).
     */
    public record Start(RunRequested request, ObjectNode defaultState, int historyRuns, boolean withSummary, boolean withContext,
                 boolean historyAfterSummary, int memoryLimit) {

        public Start(RunRequested request, ObjectNode defaultState, int historyRuns, boolean withSummary, boolean withContext) {
            this(request, defaultState, historyRuns, withSummary, withContext, false, 0);
        }

        boolean withUserKnowledge() {
            return memoryLimit > 0 && request.userId() != null;
        }
    }

    /** How starting a run turned out. */
    public sealed interface Started {
    }

    /**
     * Claimed: the session as stored, what the run remembers of it, and what it is shown of its user;
     * {@code othersParked}: runs of the session wait behind this one, so its end must wake the next.
     */
    public record Claimed(Session session, SessionMemory memory, UserKnowledge user, boolean othersParked) implements Started {
    }

    /** The session has a paused run (or runs parked before this one): this run is parked behind it, in Postgres. */
    public record Parked() implements Started {
    }

    /** The run is paused and its answers have not all come: it stays paused. */
    public record StillPaused() implements Started {
    }

    /** The session belongs to another user or component; nothing was stored for the run. */
    public record Refused(SessionMismatchException reason) implements Started {
    }

    /** The run is finished already (cancelled, or completed by an earlier delivery): its outcome stands. */
    public record AlreadyFinished() implements Started {
    }

    /** The run was requested before its session was deleted: nothing was stored, the session stays deleted. */
    public record SessionDeleted() implements Started {
    }

    private final RunStore runs = new RunStore();
    private final SessionStore sessions = new SessionStore();
    private final SessionTombstones tombstones = new SessionTombstones();
    private final RunRegistration registration = new RunRegistration(sessions, runs);
    private final SessionQueue queue = new SessionQueue();
    private final GroupCommit<Start, Started> batches;

    public RunStarts(Database database, int writers, int maxBatch, IntConsumer batchSizes) {
        this.batches = new GroupCommit<>("run-starts", starts -> database.inTransaction(c -> startAll(c, starts)), writers, maxBatch,
                batchSizes);
    }

    public Started start(Start start) {
        return batches.run(start);
    }

    @Override
    public void close() {
        batches.close();
    }

    List<Started> startAll(Connection c, List<Start> starts) throws SQLException {
        // The sessions are held against deletion first, so that the tombstones read next include every
        // deletion this start could otherwise undo (one committed meanwhile would leave no row to find).
        sessions.lockAgainstDeletion(c, starts.stream().map(s -> s.request().sessionId()).toList());
        Set<String> ofDeletedSessions = tombstones.requestedBeforeDeletion(c, starts.stream().map(Start::request).toList());
        List<Start> live = starts.stream().filter(s -> !ofDeletedSessions.contains(s.request().runId())).toList();
        List<RunRegistration.SessionCheck> checks = registration.ensureSessions(c, live.stream()
                .map(s -> new RunRegistration.Registration(s.request(), s.defaultState())).toList());
        List<Start> owned = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            if (!checks.get(i).refused()) {
                owned.add(live.get(i));
            }
        }
        // A session with a paused run, or with runs parked behind one, holds its later runs back: they
        // are parked in Postgres (no thread waits), and its paused run is claimed only once answered.
        Map<String, SessionQueue.Waiting> waiting = queue.waiting(c, owned.stream().map(s -> s.request().sessionId()).distinct().toList());
        List<RunRequested> toPark = new ArrayList<>();
        List<RunRequested> toClaim = new ArrayList<>();
        Set<String> stillPaused = new java.util.HashSet<>();
        for (Start start : owned) {
            RunRequested request = start.request();
            SessionQueue.Waiting held = waiting.getOrDefault(request.sessionId(), SessionQueue.NOTHING);
            if (request.runId().equals(held.pausedRunId())) {
                if (held.pausedRunContinued()) {
                    toClaim.add(request);
                } else {
                    stillPaused.add(request.runId());
                }
            } else if (held.holdsBack(request.runId())) {
                toPark.add(request);
            } else {
                toClaim.add(request);
            }
        }
        Set<String> parked = queue.park(c, toPark);
        Set<String> claimed = runs.claimAll(c, toClaim);
        Map<String, SessionMemory> memories = SessionMemory.loadAll(c, owned.stream()
                .filter(s -> claimed.contains(s.request().runId()))
                .map(s -> new SessionMemory.Wanted(s.request().sessionId(), s.historyRuns(), s.withSummary(), s.withContext(),
                        s.historyAfterSummary()))
                .toList());
        // The user's memories and profile, for every user of the batch in one statement: a brand-new
        // session of the user sees them as well as an old one.
        Map<String, UserKnowledge> users = UserKnowledge.loadAll(c, owned.stream()
                .filter(s -> s.withUserKnowledge() && claimed.contains(s.request().runId()))
                .map(s -> new UserKnowledge.Wanted(s.request().userId(), s.memoryLimit()))
                .toList());
        List<Started> results = new ArrayList<>();
        Iterator<RunRegistration.SessionCheck> liveChecks = checks.iterator();
        for (Start start : starts) {
            RunRequested request = start.request();
            if (ofDeletedSessions.contains(request.runId())) {
                results.add(new SessionDeleted());
                continue;
            }
            RunRegistration.SessionCheck check = liveChecks.next();
            if (check.refused()) {
                results.add(new Refused(check.refusal()));
            } else if (claimed.contains(request.runId())) {
                UserKnowledge user = start.withUserKnowledge()
                        ? users.getOrDefault(request.userId(), UserKnowledge.NONE).limitedTo(start.memoryLimit()) : UserKnowledge.NONE;
                boolean othersParked = waiting.getOrDefault(request.sessionId(), SessionQueue.NOTHING).othersParked(request.runId());
                results.add(new Claimed(check.session(), memories.get(request.sessionId()), user, othersParked));
            } else if (parked.contains(request.runId())) {
                results.add(new Parked());
            } else if (stillPaused.contains(request.runId())) {
                results.add(new StillPaused());
            } else {
                results.add(new AlreadyFinished());
            }
        }
        return results;
    }
}
