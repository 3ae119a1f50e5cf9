package io.sessionflow.runworker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.DatabaseSettings;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import io.sessionflow.embedded.EmbeddedStackExtension;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import io.sessionflow.store.session.SessionTombstones;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run-worker's two group-committed transactions against a real Postgres: in one batch, each
 * run gets its own outcome and the others' troubles (a foreign session, a cancel, a PATCH) do not
 * spill over onto it.
 */
@ExtendWith(EmbeddedStackExtension.class)
class GroupCommittedRunsIT {

    private static Database database;
    private static RunStarts starts;
    private static RunCommits commits;
    private final SessionStore sessions = new SessionStore();
    private final RunStore runs = new RunStore();

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres) {
        database = Database.open(new DatabaseSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 4), "batches-test");
        starts = new RunStarts(database, 1, 100, size -> { });
        commits = new RunCommits(database, 1, 100, size -> { });
    }

    @AfterAll
    static void stop() {
        starts.close();
        commits.close();
        database.close();
    }

    @Test
    void oneStartBatchCreatesClaimsAndLoadsEachRunAndRefusesOnlyTheForeignSession() {
        String prefix = UUID.randomUUID().toString();
        RunRequested earlierOfBob = request(prefix + "-bob", "bob");
        starts.start(start(earlierOfBob));
        RunRequested fresh = request(prefix + "-new", "alice");
        RunRequested foreign = request(prefix + "-bob", "alice");
        RunRequested again = request(prefix + "-again", "alice");
        starts.start(start(again));
        database.withConnection(c -> runs.finishUnsuccessfully(c, again.runId(), RunStatus.CANCELLED, "cancelled by test"));

        List<RunStarts.Started> started = database.inTransaction(c -> starts.startAll(c, List.of(start(fresh), start(foreign), start(again))));

        assertThat(started.get(0)).isInstanceOfSatisfying(RunStarts.Claimed.class, claimed -> {
            assertThat(claimed.session().userId()).isEqualTo("alice");
            assertThat(claimed.session().sessionState()).isEqualTo(Json.object().put("step", 0));
            assertThat(claimed.memory().history()).isEmpty();
        });
        assertThat(started.get(1)).isInstanceOf(RunStarts.Refused.class);
        assertThat(started.get(2)).isInstanceOf(RunStarts.AlreadyFinished.class);
        assertThat(find(fresh).status()).isEqualTo(RunStatus.RUNNING);
        java.util.Optional<RunRecord> foreignRun = database.withConnection(c -> runs.find(c, foreign.runId()));
        assertThat(foreignRun).isEmpty();
        assertThat(find(again).status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void oneCommitBatchStoresTheGoodRunAndLeavesTheCancelledAndTheStaleOnesUntouched() {
        String prefix = UUID.randomUUID().toString();
        RunRequested good = request(prefix + "-good", "alice");
        RunRequested cancelled = request(prefix + "-cancelled", "alice");
        RunRequested stale = request(prefix + "-stale", "alice");
        Session goodSession = claimed(good);
        Session cancelledSession = claimed(cancelled);
        Session staleSession = claimed(stale);
        database.withConnection(c -> runs.finishUnsuccessfully(c, cancelled.runId(), RunStatus.CANCELLED, "cancelled by test"));
        database.withConnection(c -> sessions.update(c, staleSession.sessionId(), null, Json.object().put("patched", true), null));

        List<RunCommits.Committed> committed = database.inTransaction(c -> commits.commitAll(c, List.of(
                commit(good, goodSession), commit(cancelled, cancelledSession), commit(stale, staleSession))));

        assertThat(committed).containsExactly(new RunCommits.Stored(1), new RunCommits.AlreadyFinished(), new RunCommits.Stale());
        RunRecord stored = find(good);
        assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(stored.runIndex()).isEqualTo(1);
        assertThat(stored.content()).isEqualTo("answer to " + good.runId());
        Session afterGood = session(goodSession);
        assertThat(afterGood.runCount()).isEqualTo(1);
        assertThat(afterGood.version()).isEqualTo(goodSession.version() + 1);
        assertThat(afterGood.sessionState()).isEqualTo(Json.object().put("step", 1));

        assertThat(find(cancelled).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(session(cancelledSession).runCount()).isZero();
        assertThat(session(cancelledSession).version()).isEqualTo(cancelledSession.version());

        assertThat(find(stale).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(session(staleSession).sessionState()).isEqualTo(Json.object().put("patched", true));
        assertThat(session(staleSession).runCount()).isZero();
    }

    @Test
    void runIndexesFollowEachSessionsOwnCountAcrossBatches() {
        String sessionId = UUID.randomUUID().toString();
        for (int expected = 1; expected <= 3; expected++) {
            RunRequested request = request(sessionId, "alice");
            Session session = claimed(request);
            assertThat(commits.commit(commit(request, session))).isEqualTo(new RunCommits.Stored(expected));
            assertThat(find(request).runIndex()).isEqualTo(expected);
        }
        RunRequested fourth = request(sessionId, "alice");
        RunStarts.Claimed claimed = (RunStarts.Claimed) starts.start(start(fourth));
        assertThat(claimed.memory().history()).hasSize(4); // the last two runs' turns: user and assistant each
        assertThat(claimed.memory().history().get(3).content()).startsWith("answer to ");
    }

    @Test
    void oneStartBatchRefusesTheRequestsMadeBeforeTheirSessionWasDeletedAndNothingElse() {
        String prefix = UUID.randomUUID().toString();
        RunRequested stale = request(prefix + "-deleted", "alice", Instant.now());
        claimed(request(stale.sessionId(), "alice"));
        RunRequested fresh = request(prefix + "-fresh", "alice");
        database.inTransaction(c -> sessions.delete(c, List.of(stale.sessionId()), null));
        RunRequested anew = request(stale.sessionId(), "alice"); // requested after the deletion: may create the session again

        List<RunStarts.Started> started = database.inTransaction(c -> starts.startAll(c, List.of(start(stale), start(fresh))));

        assertThat(started.get(0)).isInstanceOf(RunStarts.SessionDeleted.class);
        assertThat(started.get(1)).isInstanceOf(RunStarts.Claimed.class);
        assertThat(sessionExists(stale.sessionId())).isFalse();
        assertThat(runExists(stale.runId())).isFalse();
        assertThat(starts.start(start(anew))).isInstanceOf(RunStarts.Claimed.class);
        assertThat(sessionExists(stale.sessionId())).isTrue();
    }

    @Test
    void aStartWaitsOutADeletionUnderWayAndThenLeavesTheSessionDeleted() throws Exception {
        RunRequested claimedBefore = request(UUID.randomUUID().toString(), "alice");
        claimed(claimedBefore);
        RunRequested queued = request(claimedBefore.sessionId(), "alice");
        CountDownLatch deleting = new CountDownLatch(1);
        CountDownLatch commitDeletion = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> deletion = threads.submit(() -> database.inTransaction(c -> {
                sessions.delete(c, List.of(claimedBefore.sessionId()), null);
                deleting.countDown();
                try {
                    commitDeletion.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(deleting.await(10, TimeUnit.SECONDS)).isTrue();
            Future<List<RunStarts.Started>> start = threads.submit(() -> database.inTransaction(c -> starts.startAll(c, List.of(start(queued)))));
            Thread.sleep(500);
            assertThat(start).as("the start waits for the deletion to end").isNotDone();
            commitDeletion.countDown();
            deletion.get(10, TimeUnit.SECONDS);

            assertThat(start.get(10, TimeUnit.SECONDS)).singleElement().isInstanceOf(RunStarts.SessionDeleted.class);
            assertThat(sessionExists(claimedBefore.sessionId())).isFalse();
        } finally {
            commitDeletion.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aCommitWhoseSessionWasDeletedStoresNothingAndDoesNotMakeTheSessionAgain() {
        RunRequested request = request(UUID.randomUUID().toString(), "alice");
        Session session = claimed(request);
        database.inTransaction(c -> sessions.delete(c, List.of(session.sessionId()), null));

        assertThat(commits.commit(commit(request, session))).isEqualTo(new RunCommits.AlreadyFinished());
        assertThat(sessionExists(session.sessionId())).isFalse();
        assertThat(runExists(request.runId())).isFalse();
    }

    @Test
    void deletingSessionsForgetsTombstonesPastTheirRetention() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        database.withConnection(c -> {
            try (var insert = c.prepareStatement("INSERT INTO session_tombstones (session_id, deleted_at) VALUES (?, ?), (?, ?)")) {
                insert.setString(1, old);
                insert.setTimestamp(2, java.sql.Timestamp.from(Instant.now().minus(SessionTombstones.RETENTION).minusSeconds(60)));
                insert.setString(3, recent);
                insert.setTimestamp(4, java.sql.Timestamp.from(Instant.now().minus(SessionTombstones.RETENTION).plusSeconds(3600)));
                return insert.executeUpdate();
            }
        });

        database.inTransaction(c -> sessions.delete(c, List.of(UUID.randomUUID().toString()), null));

        List<String> left = database.withConnection(c -> {
            try (var select = c.prepareStatement("SELECT session_id FROM session_tombstones WHERE session_id IN (?, ?)")) {
                select.setString(1, old);
                select.setString(2, recent);
                try (var rs = select.executeQuery()) {
                    List<String> ids = new java.util.ArrayList<>();
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                    return ids;
                }
            }
        });
        assertThat(left).containsExactly(recent);
    }

    @Test
    void shouldShowEachRunItsOwnUsersLatestMemoriesAndProfileInOneBatchWhateverTheSession() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        io.sessionflow.store.memory.MemoryStore memories = new io.sessionflow.store.memory.MemoryStore();
        Instant now = Instant.now();
        database.inTransaction(c -> {
            for (int i = 1; i <= 3; i++) {
                memories.applyByHand(c, alice, List.of(io.sessionflow.store.memory.MemoryOp.add("Alice fact " + i, List.of(), null, null)), null,
                        now.plusSeconds(i));
            }
            return memories.patchProfile(c, alice, Json.object().put("name", "Alice"), now);
        });
        RunRequested fresh = request(UUID.randomUUID().toString(), alice);
        RunRequested wide = request(UUID.randomUUID().toString(), alice);
        RunRequested other = request(UUID.randomUUID().toString(), bob);
        RunRequested without = request(UUID.randomUUID().toString(), alice);

        List<RunStarts.Started> started = database.inTransaction(c -> starts.startAll(c, List.of(withMemories(fresh, 2),
                withMemories(wide, 10), withMemories(other, 10), start(without))));

        var user = (java.util.function.Function<Integer, UserKnowledge>) i -> ((RunStarts.Claimed) started.get(i)).user();
        assertThat(user.apply(0).memories()).containsExactly("Alice fact 3", "Alice fact 2");
        assertThat(user.apply(0).profile().orElseThrow().path("name").asText()).isEqualTo("Alice");
        assertThat(user.apply(1).memories()).containsExactly("Alice fact 3", "Alice fact 2", "Alice fact 1");
        assertThat(user.apply(2).isEmpty()).isTrue();
        assertThat(user.apply(3).isEmpty()).as("a component that shows no memories reads none").isTrue();
    }

    private static RunStarts.Start withMemories(RunRequested request, int memoryLimit) {
        return new RunStarts.Start(request, Json.object().put("step", 0), 2, true, true, false, memoryLimit);
    }

    private Session claimed(RunRequested request) {
        return ((RunStarts.Claimed) starts.start(start(request))).session();
    }

    private static RunStarts.Start start(RunRequested request) {
        return new RunStarts.Start(request, Json.object().put("step", 0), 2, true, true);
    }

    private static RunCommits.Commit commit(RunRequested request, Session session) {
        String answer = "answer to " + request.runId();
        return new RunCommits.Commit(request, session, Json.object().put("step", session.runCount() + 1), answer,
                List.of(ChatMessage.user(request.input().message()), ChatMessage.assistant(answer)), "local",
                new RunMetrics(1, 1, 0, 0), List.of());
    }

    private static RunRequested request(String sessionId, String userId) {
        return request(sessionId, userId, Instant.now());
    }

    private static RunRequested request(String sessionId, String userId, Instant requestedAt) {
        return RunRequested.of(ComponentType.AGENT, "chat-with-history", sessionId, userId, "hello").withRequestedAt(requestedAt);
    }

    private RunRecord find(RunRequested request) {
        return database.withConnection(c -> runs.find(c, request.runId())).orElseThrow();
    }

    private boolean sessionExists(String sessionId) {
        return database.withConnection(c -> sessions.find(c, sessionId).isPresent());
    }

    private boolean runExists(String runId) {
        return database.withConnection(c -> runs.find(c, runId).isPresent());
    }

    private Session session(Session before) {
        return database.withConnection(c -> sessions.find(c, before.sessionId())).orElseThrow();
    }
}
