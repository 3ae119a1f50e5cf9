package io.sessionflow.kafka.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PartitionProgressTest {

    @Test
    void shouldHaveNothingToCommitBeforeAnyRecord() {
        PartitionProgress progress = new PartitionProgress();

        assertThat(progress.committable()).isEqualTo(-1);
        assertThat(progress.unfinishedCount()).isZero();
    }

    @Test
    void shouldCommitUpToLowestUnfinishedOffset() {
        PartitionProgress progress = new PartitionProgress();
        progress.started(5);
        progress.started(6);
        progress.started(7);

        assertThat(progress.committable()).isEqualTo(5);

        progress.done(6);
        assertThat(progress.committable()).isEqualTo(5);
        assertThat(progress.unfinishedCount()).isEqualTo(2);

        progress.done(5);
        assertThat(progress.committable()).isEqualTo(7);

        progress.done(7);
        assertThat(progress.committable()).isEqualTo(8);
        assertThat(progress.unfinishedCount()).isZero();
    }

    @Test
    void shouldIgnoreDoneForOffsetNeverStartedOrAlreadyDone() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        progress.started(5);
        progress.done(5);
        progress.done(5);
        progress.done(42);

        assertThat(progress.committable()).isEqualTo(6);
        progress.started(6);
        assertThat(progress.awaitQuiet(20)).as("outstanding count was not corrupted").isFalse();
        progress.done(6);
        assertThat(progress.awaitQuiet(20)).isTrue();
    }

    @Test
    void shouldKeepCommittableOffsetAtARecordHandedBack() {
        PartitionProgress progress = new PartitionProgress();
        progress.started(5);
        progress.started(6);
        progress.started(7);

        progress.handedBack(6);
        progress.done(5);
        progress.done(7);

        assertThat(progress.committable()).isEqualTo(6);
    }

    @Test
    void shouldKeepCommittableAtTheLowestOffsetHandedBack() {
        PartitionProgress progress = new PartitionProgress();
        progress.started(10);
        progress.started(11);
        progress.handedBack(10);
        progress.handedBack(11);

        assertThat(progress.committable()).isEqualTo(10);
    }

    @Test
    void shouldBeQuietWhenEverythingIsDoneOrHandedBack() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        progress.started(1);
        progress.started(2);
        progress.started(3);
        progress.done(1);
        progress.handedBack(2);
        progress.done(3);

        assertThat(progress.awaitQuiet(1_000)).isTrue();
    }

    @Test
    void shouldBeQuietImmediatelyWhenNothingStarted() throws InterruptedException {
        assertThat(new PartitionProgress().awaitQuiet(0)).isTrue();
    }

    @Test
    void shouldTimeOutWhenRecordsAreStillRunning() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        progress.started(1);
        progress.started(2);
        progress.done(1);

        long start = System.nanoTime();
        boolean quiet = progress.awaitQuiet(100);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(quiet).isFalse();
        assertThat(waitedMillis).isGreaterThanOrEqualTo(90);
    }

    @Test
    void shouldWakeUpWaiterWhenLastRecordFinishes() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        progress.started(1);
        progress.started(2);
        AtomicBoolean result = new AtomicBoolean();
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                result.set(progress.awaitQuiet(10_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.countDown();
        });
        waiter.start();

        progress.done(1);
        assertThat(returned.await(100, TimeUnit.MILLISECONDS)).as("still one record outstanding").isFalse();
        progress.handedBack(2);

        assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isTrue();
        waiter.join();
    }

    @Test
    void shouldRememberRevocation() {
        PartitionProgress progress = new PartitionProgress();

        assertThat(progress.isRevoked()).isFalse();
        progress.revoke();
        assertThat(progress.isRevoked()).isTrue();
    }
}
