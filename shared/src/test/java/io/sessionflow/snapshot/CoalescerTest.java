package io.sessionflow.snapshot;

import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.TestPartition;
import io.sessionflow.kafka.consumer.SessionLanes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CoalescerTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final SessionLanes lanes = new SessionLanes(pool);
    private final List<Coalescer> coalescers = new ArrayList<>();
    /** Records dead-lettered by the tickets: "offset: reason". */
    private static final List<String> letters = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One call of the update, as it saw its arguments. */
    private record Call(String sessionId, int latestRunIndex, int runs, Object detail) {
    }

    /** The update under observation: records each call, optionally blocks until released, optionally fails. */
    private static final class RecordingUpdate implements Coalescer.Update {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile boolean fail;

        @Override
        public void apply(String sessionId, Coalescer.Pending due) throws Exception {
            boolean failing = fail; // decided before the call is visible, so a test may change it afterwards
            calls.add(new Call(sessionId, due.latestRunIndex(), due.runs(), due.detail()));
            started.countDown();
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            if (failing) {
                throw new IllegalStateException("update failed on purpose");
            }
        }

        Call next() throws InterruptedException {
            Call call = calls.poll(5, TimeUnit.SECONDS);
            assertThat(call).as("an update ran in time").isNotNull();
            return call;
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        coalescers.forEach(Coalescer::close);
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Coalescer coalescer(int everyRuns, Duration maxDelay, Coalescer.Update update) {
        letters.clear();
        Coalescer coalescer = new Coalescer("test", everyRuns, maxDelay, lanes, update,
                new io.sessionflow.run.Backoff(3, Duration.ofMillis(10), Duration.ofMillis(20)));
        coalescers.add(coalescer);
        return coalescer.start();
    }

    private static RecordTicket ticket(TestPartition progress, long offset) {
        return progress.ticket(offset, reason -> letters.add(offset + ": " + reason));
    }

    private static void awaitCommittable(TestPartition progress, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (progress.committable() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(progress.committable()).isEqualTo(expected);
    }

    @Test
    void shouldWaitForEveryRunsBeforeUpdatingAndCoverTheHighestRun() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(5, LONG, update);
        TestPartition progress = new TestPartition();

        int[] runIndexes = {3, 1, 7, 2};
        for (int i = 0; i < runIndexes.length; i++) {
            coalescer.offer("s1", runIndexes[i], "agent-1", ticket(progress, i));
        }
        Thread.sleep(300);
        assertThat(update.calls).as("4 of 5 runs are not due yet").isEmpty();

        coalescer.offer("s1", 5, "agent-1", ticket(progress, 4));

        Call call = update.next();
        assertThat(call).isEqualTo(new Call("s1", 7, 5, "agent-1"));
        Thread.sleep(200);
        assertThat(update.calls).as("exactly one update").isEmpty();
        awaitCommittable(progress, 5);
    }

    @Test
    void shouldUpdateSingleRunOnceMaxDelayHasPassed() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(100, Duration.ofMillis(100), update);
        TestPartition progress = new TestPartition();

        long offeredAt = System.nanoTime();
        coalescer.offer("s1", 1, null, ticket(progress, 0));

        Call call = update.next();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - offeredAt);
        assertThat(call.sessionId()).isEqualTo("s1");
        assertThat(call.latestRunIndex()).isEqualTo(1);
        assertThat(call.runs()).isEqualTo(1);
        assertThat(waitedMillis).as("waited for maxDelay").isGreaterThanOrEqualTo(95);
    }

    @Test
    void shouldFinishTicketsOnlyAfterTheUpdateReturns() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        update.release = new CountDownLatch(1);
        Coalescer coalescer = coalescer(2, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("s1", 1, null, ticket(progress, 10));
        coalescer.offer("s1", 2, null, ticket(progress, 11));
        assertThat(update.started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);

        assertThat(progress.committable()).as("still updating: nothing committable").isEqualTo(10);
        assertThat(progress.unfinishedCount()).isEqualTo(2);

        update.release.countDown();

        assertThat(progress.awaitQuiet(5_000)).isTrue();
        assertThat(progress.committable()).isEqualTo(12);
        assertThat(progress.unfinishedCount()).isZero();
    }

    @Test
    void shouldDeadLetterTicketsWithTheReasonWhenTheUpdateKeepsFailingSoTheCommitMovesOn() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        update.fail = true;
        Coalescer coalescer = coalescer(2, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("s1", 1, null, ticket(progress, 10));
        coalescer.offer("s1", 2, null, ticket(progress, 11));
        update.next();
        update.next();
        update.next();

        awaitCommittable(progress, 12);
        assertThat(progress.unfinishedCount()).isZero();
        assertThat(letters).hasSize(2).allSatisfy(letter -> assertThat(letter)
                .contains("updating session s1 failed 3 times").contains("update failed on purpose"));
        Thread.sleep(100);
        assertThat(update.calls).as("no fourth try").isEmpty();
        assertThat(coalescer.lagRuns()).isZero();
    }

    @Test
    void shouldTryAFailedUpdateAgainWithWhatArrivedMeanwhileAndFinishEveryTicket() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        update.fail = true;
        update.release = new CountDownLatch(1);
        Coalescer coalescer = coalescer(1, LONG, update);
        TestPartition progress = new TestPartition();
        coalescer.offer("s1", 1, null, ticket(progress, 0));
        update.next();
        coalescer.offer("s1", 2, null, ticket(progress, 1)); // arrives while the failing update runs
        update.fail = false;

        update.release.countDown();

        Call retried = update.next();
        assertThat(retried.latestRunIndex()).isEqualTo(2);
        assertThat(retried.runs()).isEqualTo(2);
        awaitCommittable(progress, 2);
        assertThat(letters).isEmpty();
    }

    @Test
    void shouldUpdateSessionAgainAfterItsRecordsWereDeadLettered() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        update.fail = true;
        Coalescer coalescer = coalescer(1, LONG, update);
        TestPartition failed = new TestPartition();
        coalescer.offer("s1", 1, null, ticket(failed, 0));
        update.next();
        update.next();
        update.next();
        awaitCommittable(failed, 1);

        update.fail = false;
        TestPartition later = new TestPartition();
        coalescer.offer("s1", 2, null, ticket(later, 0));

        assertThat(update.next().latestRunIndex()).isEqualTo(2);
        awaitCommittable(later, 1);
        assertThat(letters).hasSize(1);
    }

    @Test
    void shouldCoalesceRunsOfferedDuringAnUpdateIntoOneLaterUpdate() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        update.release = new CountDownLatch(1);
        Coalescer coalescer = coalescer(1, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("s1", 1, null, ticket(progress, 0));
        assertThat(update.next().latestRunIndex()).isEqualTo(1);

        coalescer.offer("s1", 2, null, ticket(progress, 1));
        coalescer.offer("s1", 4, null, ticket(progress, 2));
        coalescer.offer("s1", 3, null, ticket(progress, 3));
        Thread.sleep(150);
        assertThat(update.calls).as("no second update while the first runs").isEmpty();
        assertThat(coalescer.lagRuns()).isEqualTo(3);

        update.release.countDown();

        Call second = update.next();
        assertThat(second.latestRunIndex()).isEqualTo(4);
        assertThat(second.runs()).isEqualTo(3);
        awaitCommittable(progress, 4);
        Thread.sleep(150);
        assertThat(update.calls).as("the three runs made one update").isEmpty();
    }

    @Test
    void shouldUpdateDifferentSessionsSeparately() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(2, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("a", 1, "agent-a", ticket(progress, 0));
        coalescer.offer("b", 1, "agent-b", ticket(progress, 1));
        coalescer.offer("a", 2, "agent-a", ticket(progress, 2));
        Call first = update.next();
        assertThat(first).isEqualTo(new Call("a", 2, 2, "agent-a"));
        Thread.sleep(100);
        assertThat(update.calls).as("session b has one run of two").isEmpty();
        assertThat(progress.committable()).isEqualTo(1);

        coalescer.offer("b", 2, "agent-b", ticket(progress, 3));

        assertThat(update.next()).isEqualTo(new Call("b", 2, 2, "agent-b"));
        awaitCommittable(progress, 4);
    }

    @Test
    void shouldHandTheFirstOffersDetailToTheUpdate() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(2, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("s1", 1, "first", ticket(progress, 0));
        coalescer.offer("s1", 2, "second", ticket(progress, 1));

        assertThat(update.next().detail()).isEqualTo("first");
    }

    @Test
    void shouldReportNoLagWhenIdle() {
        Coalescer coalescer = coalescer(5, LONG, new RecordingUpdate());

        assertThat(coalescer.lagRuns()).isZero();
        assertThat(coalescer.lagMillis()).isZero();
    }

    @Test
    void shouldReportWaitingRunsAndTheirAge() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(3, LONG, update);
        TestPartition progress = new TestPartition();

        coalescer.offer("a", 1, null, ticket(progress, 0));
        coalescer.offer("a", 2, null, ticket(progress, 1));
        coalescer.offer("b", 1, null, ticket(progress, 2));
        Thread.sleep(120);

        assertThat(coalescer.lagRuns()).isEqualTo(3);
        assertThat(coalescer.lagMillis()).isGreaterThanOrEqualTo(100);

        coalescer.offer("a", 3, null, ticket(progress, 3));
        update.next();
        assertThat(coalescer.lagRuns()).as("only session b waits").isEqualTo(1);

        coalescer.offer("b", 2, null, ticket(progress, 4));
        coalescer.offer("b", 3, null, ticket(progress, 5));
        update.next();
        assertThat(coalescer.lagRuns()).isZero();
        assertThat(coalescer.lagMillis()).isZero();
    }

    @Test
    void shouldHandBackTicketsOfARevokedPartitionWithoutUpdating() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(1, Duration.ofMillis(10), update);
        TestPartition revoked = new TestPartition();
        RecordTicket first = ticket(revoked, 20);
        RecordTicket second = ticket(revoked, 21);
        revoked.revoke();

        coalescer.offer("s1", 1, null, first);
        coalescer.offer("s1", 2, null, second);

        assertThat(revoked.awaitQuiet(5_000)).as("the tickets were handed back").isTrue();
        Thread.sleep(150);
        assertThat(update.calls).as("no update for a revoked partition").isEmpty();
        assertThat(revoked.committable()).isEqualTo(20);
        assertThat(coalescer.lagRuns()).isZero();
    }

    @Test
    void shouldKeepUpdatingSessionsOfLivePartitionsWhenAnotherIsRevoked() throws InterruptedException {
        RecordingUpdate update = new RecordingUpdate();
        Coalescer coalescer = coalescer(1, LONG, update);
        TestPartition revoked = new TestPartition();
        TestPartition live = new TestPartition();
        RecordTicket lost = ticket(revoked, 0);
        revoked.revoke();

        coalescer.offer("gone", 1, null, lost);
        coalescer.offer("kept", 1, null, ticket(live, 0));

        assertThat(update.next().sessionId()).isEqualTo("kept");
        awaitCommittable(live, 1);
        assertThat(revoked.awaitQuiet(5_000)).isTrue();
        Thread.sleep(100);
        assertThat(update.calls).isEmpty();
        assertThat(revoked.committable()).isZero();
    }
}
