package io.sessionflow.kafka.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionLanesTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldRunSameKeyTasksOneAtATimeInSubmissionOrder() throws InterruptedException {
        SessionLanes lanes = new SessionLanes(pool);
        int keys = 20;
        int tasksPerKey = 50;
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, List<Integer>> order = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger globalRunning = new AtomicInteger();
        AtomicInteger maxGlobalRunning = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(keys * tasksPerKey);
        for (int k = 0; k < keys; k++) {
            running.put("session-" + k, new AtomicInteger());
            order.put("session-" + k, Collections.synchronizedList(new ArrayList<>()));
        }

        // Interleave keys so every lane has queued work while others run.
        for (int i = 0; i < tasksPerKey; i++) {
            for (int k = 0; k < keys; k++) {
                String key = "session-" + k;
                int sequence = i;
                lanes.submit(key, () -> {
                    try {
                        if (running.get(key).incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        maxGlobalRunning.accumulateAndGet(globalRunning.incrementAndGet(), Math::max);
                        order.get(key).add(sequence);
                        Thread.sleep(0, 200_000);
                        globalRunning.decrementAndGet();
                        running.get(key).decrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        finished.countDown();
                    }
                });
            }
        }

        assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps).hasValue(0);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < tasksPerKey; i++) {
            expected.add(i);
        }
        order.forEach((key, sequences) -> assertThat(sequences).as(key).isEqualTo(expected));
        assertThat(maxGlobalRunning.get()).as("different keys ran in parallel").isGreaterThan(1);
        awaitNoActiveSessions(lanes);
    }

    @Test
    void shouldNotLetBlockedKeyHoldUpAnotherKey() throws InterruptedException {
        SessionLanes lanes = new SessionLanes(pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blockedStarted = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        AtomicInteger secondOnBlockedKeyRan = new AtomicInteger();

        lanes.submit("slow", () -> {
            blockedStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        lanes.submit("slow", secondOnBlockedKeyRan::incrementAndGet);
        assertThat(blockedStarted.await(5, TimeUnit.SECONDS)).isTrue();

        lanes.submit("fast", otherDone::countDown);

        assertThat(otherDone.await(5, TimeUnit.SECONDS)).as("other key finished while 'slow' is blocked").isTrue();
        assertThat(secondOnBlockedKeyRan).as("same key waits for the blocked task").hasValue(0);
        assertThat(lanes.activeSessions()).isGreaterThanOrEqualTo(1);

        release.countDown();
        awaitNoActiveSessions(lanes);
        assertThat(secondOnBlockedKeyRan).hasValue(1);
    }

    @Test
    void shouldKeepLaneGoingAfterTaskThrows() throws InterruptedException {
        SessionLanes lanes = new SessionLanes(pool);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);

        lanes.submit("s", () -> ran.add("first"));
        lanes.submit("s", () -> {
            ran.add("boom");
            throw new IllegalStateException("task failed on purpose");
        });
        lanes.submit("s", () -> ran.add("third"));
        lanes.submit("s", done::countDown);

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "boom", "third");
        awaitNoActiveSessions(lanes);

        // The lane is free again: a later task for the same key still runs.
        CountDownLatch later = new CountDownLatch(1);
        lanes.submit("s", later::countDown);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldKeepLaneGoingAfterTaskThrowsAnError() throws InterruptedException {
        SessionLanes lanes = new SessionLanes(pool);
        CountDownLatch next = new CountDownLatch(1);

        lanes.submit("s", () -> {
            throw new AssertionError("an Error, not a RuntimeException");
        });
        lanes.submit("s", next::countDown);

        assertThat(next.await(5, TimeUnit.SECONDS)).as("the task after the failing one still runs").isTrue();
        awaitNoActiveSessions(lanes);
    }

    @Test
    void shouldRunTasksOnTheExecutorNotTheSubmitter() throws InterruptedException {
        Map<String, String> threads = new HashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        SessionLanes lanes = new SessionLanes(pool);

        lanes.submit("s", () -> {
            synchronized (threads) {
                threads.put("task", Thread.currentThread().getName());
            }
            done.countDown();
        });

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        synchronized (threads) {
            assertThat(threads.get("task")).isNotEqualTo(Thread.currentThread().getName());
        }
    }

    private static void awaitNoActiveSessions(SessionLanes lanes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.activeSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lanes.activeSessions()).isZero();
    }
}
