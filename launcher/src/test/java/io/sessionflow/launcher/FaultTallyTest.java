package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault suite's counting, on fabricated results: what a loss and a duplicate look like in its table. */
class FaultTallyTest {

    @Test
    void shouldCountAnAcceptedRunWithNoRowAndAnUnfinishedRunAsLost() {
        FaultTally tally = FaultTally.count(List.of("r1", "r2", "r3", "r4", "r5"),
                Map.of("r1", "completed", "r2", "failed", "r3", "running", "r5", "pending"), Map.of(), Map.of());

        assertThat(tally.accepted()).isEqualTo(5);
        assertThat(tally.completed()).isEqualTo(1);
        assertThat(tally.failed()).isEqualTo(1);
        assertThat(tally.missing()).isEqualTo(1);
        assertThat(tally.unfinished()).isEqualTo(2);
        assertThat(tally.lost()).isEqualTo(3);
    }

    @Test
    void shouldStopWaitingAfterTheBoundAndCountWhatNeverFinishedAsLost() throws InterruptedException {
        List<String> accepted = List.of("r1", "r2", "r3");
        long start = System.nanoTime();

        Map<String, String> rows = FaultTally.awaitFinished(accepted, () -> Map.of("r1", "completed", "r3", "running"), Duration.ofMillis(500));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        FaultTally tally = FaultTally.count(accepted, rows, Map.of(), Map.of());
        assertThat(tally.missing()).isEqualTo(1);
        assertThat(tally.unfinished()).isEqualTo(1);
        assertThat(tally.lost()).isEqualTo(2);
    }

    @Test
    void shouldStopWaitingAsSoonAsEveryRunHasFinished() throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        Map<String, String> rows = FaultTally.awaitFinished(List.of("r1"),
                () -> reads.incrementAndGet() < 3 ? Map.of("r1", "running") : Map.of("r1", "completed"), Duration.ofMinutes(1));

        assertThat(rows).containsEntry("r1", "completed");
        assertThat(reads).hasValue(3);
    }

    @Test
    void shouldCountACancelledRunAsFinishedNotLost() {
        FaultTally tally = FaultTally.count(List.of("r1"), Map.of("r1", "cancelled"), Map.of(), Map.of());

        assertThat(tally.failed()).isEqualTo(1);
        assertThat(tally.lost()).isZero();
    }

    @Test
    void shouldCountModelCallsPerRunAndTheRunsCalledOrAnsweredMoreThanOnce() {
        FaultTally tally = FaultTally.count(List.of("r1", "r2", "r3"), Map.of("r1", "completed", "r2", "completed", "r3", "completed"),
                Map.of("r1", 1, "r2", 3, "r3", 2), Map.of("r1", 1, "r2", 1, "r3", 2));

        assertThat(tally.modelCalls()).isEqualTo(6);
        assertThat(tally.calledMoreThanOnce()).isEqualTo(2);
        assertThat(tally.answeredMoreThanOnce()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreRowsAndCallsOfRunsThatWereNotAccepted() {
        FaultTally tally = FaultTally.count(List.of("r1"), Map.of("r1", "completed", "other", "running"),
                Map.of("r1", 1, "other", 5), Map.of("other", 5));

        assertThat(tally.lost()).isZero();
        assertThat(tally.modelCalls()).isEqualTo(1);
        assertThat(tally.answeredMoreThanOnce()).isZero();
    }

    @Test
    void shouldShowALossInTheReportRow() {
        FaultTally tally = FaultTally.count(List.of("r1", "r2", "r3"), Map.of("r1", "completed", "r3", "running"),
                Map.of("r1", 2), Map.of("r1", 1));

        assertThat(FaultSuiteIT.row("a scenario", tally, 4, 0, "-"))
                .isEqualTo("| a scenario | 3 | 1 | 0 | 2 (1 no row, 1 unfinished) | 2 | 1 | 0 | 4 | 0 | - |");
    }
}
