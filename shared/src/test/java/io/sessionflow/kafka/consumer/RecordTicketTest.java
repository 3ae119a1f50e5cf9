package io.sessionflow.kafka.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RecordTicketTest {

    private final List<String> letters = new CopyOnWriteArrayList<>();

    private RecordTicket ticket(PartitionProgress progress, long offset) {
        progress.started(offset);
        return new RecordTicket(progress, offset, reason -> letters.add(offset + ": " + reason));
    }

    @Test
    void shouldCommitPastADeadLetteredRecordAndParkItWithTheReason() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        RecordTicket first = ticket(progress, 5);
        RecordTicket stuck = ticket(progress, 6);
        RecordTicket last = ticket(progress, 7);

        stuck.deadLetter("kept failing");
        first.done();
        last.done();

        assertThat(letters).containsExactly("6: kept failing");
        assertThat(progress.committable()).as("the commit moves past the dead-lettered record").isEqualTo(8);
        assertThat(progress.unfinishedCount()).isZero();
        assertThat(progress.awaitQuiet(0)).isTrue();
    }

    @Test
    void shouldLeaveTheOffsetUncommittedWhenARevokedPartitionsRecordIsHandedBack() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        RecordTicket first = ticket(progress, 5);
        RecordTicket unfinished = ticket(progress, 6);
        progress.revoke();

        first.done();
        unfinished.handBack();

        assertThat(letters).isEmpty();
        assertThat(progress.committable()).as("the next owner starts at the handed-back record").isEqualTo(6);
        assertThat(progress.awaitQuiet(0)).isTrue();
    }

    @Test
    void shouldDeadLetterARecordHandedBackWhileItsPartitionIsStillAssigned() {
        PartitionProgress progress = new PartitionProgress();
        RecordTicket ticket = ticket(progress, 3);

        ticket.handBack();

        assertThat(letters).singleElement().asString().startsWith("3: handed back");
        assertThat(progress.committable()).as("a live partition is never frozen by a handed-back record").isEqualTo(4);
    }

    @Test
    void shouldKeepTryingToDeadLetterWhileTheBrokerRefusesAndThenCommitPast() {
        PartitionProgress progress = new PartitionProgress();
        progress.started(0);
        AtomicInteger tries = new AtomicInteger();
        RecordTicket ticket = new RecordTicket(progress, 0, reason -> {
            if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("broker unreachable");
            }
        });

        ticket.deadLetter("poison");

        assertThat(tries).hasValue(3);
        assertThat(progress.committable()).isEqualTo(1);
    }

    @Test
    void shouldHandBackARecordThatCannotBeDeadLetteredOnceItsPartitionIsRevoked() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        progress.started(0);
        RecordTicket ticket = new RecordTicket(progress, 0, reason -> {
            progress.revoke();
            throw new IllegalStateException("broker unreachable");
        });

        ticket.deadLetter("poison");

        assertThat(progress.committable()).isZero();
        assertThat(progress.awaitQuiet(0)).isTrue();
    }

    @Test
    void shouldCountOnlyTheFirstEnding() throws InterruptedException {
        PartitionProgress progress = new PartitionProgress();
        RecordTicket ticket = ticket(progress, 0);
        RecordTicket next = ticket(progress, 1);

        ticket.done();
        ticket.deadLetter("too late");
        progress.revoke();
        ticket.handBack();

        assertThat(letters).isEmpty();
        assertThat(progress.awaitQuiet(20)).as("the second record is still outstanding").isFalse();
        next.done();
        assertThat(progress.committable()).isEqualTo(2);
    }
}
