package io.sessionflow.runworker.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunRequested;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.Database;
import io.sessionflow.store.GroupCommit;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The second of a run's two transactions, group-committed across sessions: the run's result is
 * stored and its session takes the new state, one more run and the next version, both or neither.
 * A batch of any size takes three statements (four when it holds team runs).
 *
 * <p>The runs are locked first, so that nothing (a cancel) can finish one between its session being
 * recorded and the run itself; a session whose version moved on since the run read it (a PATCH
 * meanwhile) is left alone, and its run is re-executed on the new state by the caller.
 */
public final class RunCommits implements AutoCloseable {

    /** A finished run to commit: the session as the run read it, and what the run produced. */
    public record Commit(RunRequested request, Session session, ObjectNode newState, String content, List<ChatMessage> turns, String model,
                  RunMetrics metrics, List<MemberAnswer> memberAnswers) {
    }

    /** How committing a run turned out. */
    public sealed interface Committed {
    }

    /** Stored, as the session's run number {@code runIndex}. */
    public record Stored(int runIndex) implements Committed {
    }

    /** The session changed since the run read it; nothing was stored. */
    public record Stale() implements Committed {
    }

    /**
     * The run was finished meanwhile (cancelled), or is gone with its deleted session; nothing was
     * stored (a session that is gone is not made again) and its outcome stands.
     */
    public record AlreadyFinished() implements Committed {
    }

    private final SessionStore sessions = new SessionStore();
    private final RunStore runs = new RunStore();
    private final GroupCommit<Commit, Committed> batches;

    public RunCommits(Database database, int writers, int maxBatch, IntConsumer batchSizes) {
        this.batches = new GroupCommit<>("run-commits", commits -> database.inTransaction(c -> commitAll(c, commits)), writers,
                maxBatch, batchSizes);
    }

    public Committed commit(Commit commit) {
        return batches.run(commit);
    }

    @Override
    public void close() {
        batches.close();
    }

    List<Committed> commitAll(Connection c, List<Commit> commits) throws SQLException {
        Set<String> unfinished = runs.lockUnfinished(c, commits.stream().map(commit -> commit.request().runId()).toList());
        Committed[] results = new Committed[commits.size()];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < commits.size(); i++) {
            if (unfinished.contains(commits.get(i).request().runId())) {
                open.add(i);
            } else {
                results[i] = new AlreadyFinished();
            }
        }
        boolean[] recorded = sessions.recordRuns(c, open.stream().map(commits::get)
                .map(commit -> new SessionStore.RecordedRun(commit.session().sessionId(), commit.newState(), commit.session().version()))
                .toList());
        List<Integer> fresh = new ArrayList<>();
        for (int k = 0; k < open.size(); k++) {
            int i = open.get(k);
            if (recorded[k]) {
                fresh.add(i);
                results[i] = new Stored(commits.get(i).session().runCount() + 1);
            } else {
                results[i] = new Stale();
            }
        }
        boolean[] completed = runs.completeAll(c, fresh.stream().map(i -> {
            Commit commit = commits.get(i);
            return new RunStore.Completion(commit.request().runId(), ((Stored) results[i]).runIndex(), commit.content(), commit.turns(),
                    commit.model(), commit.metrics());
        }).toList());
        for (int k = 0; k < fresh.size(); k++) {
            Commit commit = commits.get(fresh.get(k));
            if (!completed[k]) {
                // Locked above as unfinished; failing the batch makes each run go again alone.
                throw new IllegalStateException("run " + commit.request().runId() + " was finished while locked");
            }
            storeMembers(c, commit.request(), commit.memberAnswers());
        }
        return List.of(results);
    }

    /**
     * A team run's members: stored under the team's session with the team run as parent (members have no
     * session of their own), each as a completed run.
     */
    private void storeMembers(Connection c, RunRequested teamRun, List<MemberAnswer> answers) throws SQLException {
        for (MemberAnswer answer : answers) {
            String memberRunId = runs.insertPendingMember(c, teamRun, answer.memberId());
            runs.complete(c, new RunStore.Completion(memberRunId, null, answer.reply().content(), answer.turns(), answer.model(),
                    new RunMetrics(answer.reply().inputTokens(), answer.reply().outputTokens(), answer.latencyMs(), answer.latencyMs())));
        }
    }
}
