package io.sessionflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GroupCommitTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(64);
    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void aLoneUnitRunsAtOnceInABatchOfOne() {
        try (GroupCommit<Integer, Integer> doubler = new GroupCommit<>("test", units -> units.stream().map(u -> u * 2).toList(), 1, 100,
                batchSizes::add)) {
            assertThat(doubler.run(21)).isEqualTo(42);
            assertThat(batchSizes).containsExactly(1);
        }
    }

    @Test
    void unitsQueuedWhileTheWriterIsBusyShareOneBatchAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, String> commits = new GroupCommit<>("test", units -> {
            firstBatchRunning.countDown();
            await(release);
            return units.stream().map(u -> "result " + u).toList();
        }, 1, 100, batchSizes::add)) {
            Future<String> first = callers.submit(() -> commits.run(0));
            assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> queued = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                int unit = i;
                queued.add(callers.submit(() -> commits.run(unit)));
            }
            while (commits.queued() < 50) {
                Thread.sleep(5);
            }
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("result 0");
            for (int i = 1; i <= 50; i++) {
                assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo("result " + i);
            }
            assertThat(batchSizes).containsExactly(1, 50);
        }
    }

    @Test
    void aBatchThatFailsIsRetriedUnitByUnitSoOnlyTheBadUnitFails() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> {
            firstBatchRunning.countDown();
            await(release);
            if (units.contains(13)) {
                throw new StoreException("unit 13 breaks a constraint", new SQLException("check violation", "23514"));
            }
            return units;
        }, 1, 100, batchSizes::add)) {
            Future<Integer> first = callers.submit(() -> commits.run(0));
            assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 10; i < 16; i++) {
                int unit = i;
                queued.add(callers.submit(() -> commits.run(unit)));
            }
            while (commits.queued() < 6) {
                Thread.sleep(5);
            }
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 10; i < 16; i++) {
                Future<Integer> result = queued.get(i - 10);
                if (i == 13) {
                    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                            .hasMessageContaining("unit 13 breaks a constraint");
                } else {
                    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(i);
                }
            }
            // the batch of six, then each of its units alone
            assertThat(batchSizes).containsExactly(1, 6);
        }
    }

    @Test
    void whenTheDatabaseIsOutOfReachTheWholeBatchFailsAtOnceWithoutRunningEachUnitAgain() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> {
            attempts.incrementAndGet();
            firstBatchRunning.countDown();
            await(release);
            throw new StoreException("connection refused", new java.sql.SQLTransientConnectionException("pool timed out", "08001"));
        }, 1, 100, batchSizes::add)) {
            Future<Integer> first = callers.submit(() -> commits.run(0));
            assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int unit = i;
                queued.add(callers.submit(() -> commits.run(unit)));
            }
            while (commits.queued() < 5) {
                Thread.sleep(5);
            }
            release.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
            for (Future<Integer> result : queued) {
                assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                        .satisfies(e -> assertThat(((StoreException) e.getCause()).isTransient()).isTrue());
            }
            assertThat(batchSizes).containsExactly(1, 5);
            assertThat(attempts).hasValue(2); // the lone first unit, then the batch of five: nobody alone again
        }
    }

    @Test
    void theCallerGetsTheExceptionItselfNotAWrapper() {
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> {
            throw new StoreException("database gone", new SQLException("connection refused", "08001"));
        }, 2, 100, batchSizes::add)) {
            assertThatThrownBy(() -> commits.run(1)).isInstanceOf(StoreException.class).hasMessage("database gone")
                    .matches(e -> ((StoreException) e).isTransient());
        }
    }

    @Test
    void aWrongNumberOfResultsFailsTheUnitsInsteadOfMismatchingThem() {
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> List.of(), 1, 100, batchSizes::add)) {
            assertThatThrownBy(() -> commits.run(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("0 results for 1 units");
        }
    }

    @Test
    void closingFailsWhatIsStillQueuedAsRetryable() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> {
            firstBatchRunning.countDown();
            await(never);
            return units;
        }, 1, 100, batchSizes::add);
        callers.submit(() -> commits.run(0));
        assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Integer> queued = callers.submit(() -> commits.run(1));
        while (commits.queued() < 1) {
            Thread.sleep(5);
        }
        commits.close();
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e.getCause()).isTransient()).isTrue());
        assertThatThrownBy(() -> commits.run(2)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void aUnitSubmittedWhileCloseDrainsTheQueueFailsAtOnceInsteadOfWaitingForever() throws Exception {
        CountDownLatch admitted = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Replays the race: run() has seen the group commit open, and its enqueue lands only after close() has
        // stopped the writers and drained the queue.
        BlockingQueue<GroupCommit.Pending<Integer, Integer>> queue = new LinkedBlockingQueue<>() {
            @Override
            public boolean add(GroupCommit.Pending<Integer, Integer> unit) {
                admitted.countDown();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.add(unit);
            }
        };
        GroupCommit<Integer, Integer> commits = new GroupCommit<>("test", units -> units, 1, 100, batchSizes::add, queue);
        Future<Integer> late = callers.submit(() -> commits.run(1));
        assertThat(admitted.await(10, TimeUnit.SECONDS)).isTrue();

        commits.close();
        closed.countDown();

        assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).as("the caller is answered, not left waiting")
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class).hasMessageContaining("closed")
                .satisfies(e -> assertThat(((StoreException) e.getCause()).isTransient()).isTrue());
        assertThat(queue).as("nothing is left queued after close").isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", new java.sql.SQLTransientException("interrupted"));
        }
    }
}
