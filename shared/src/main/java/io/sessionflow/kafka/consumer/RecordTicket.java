package io.sessionflow.kafka.consumer;

import io.sessionflow.run.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record handed to a handler, which ends it exactly once, in one of three ways:
 * <ul>
 *   <li>{@link #done()}: its work is durable (a failed run stored as failed counts), so the offset may be
 *       committed past it;</li>
 *   <li>{@link #deadLetter(String)}: it cannot be processed; it goes to the dead-letter topic with the
 *       reason, and the offset is committed past it;</li>
 *   <li>{@link #handBack()}: its partition was revoked (or the worker is stopping) before it was finished;
 *       the offset stays uncommitted and the partition's next owner processes it.</li>
 * </ul>
 * Only the first call counts. A record that failed is never simply left uncommitted on a partition this
 * consumer still owns: the committed offset could not move past it until a rebalance, and every record
 * after it would be redelivered on a restart.
 */
public final class RecordTicket {

    /** Sends the record to the dead-letter topic with the reason; returns once the broker has it. */
    @FunctionalInterface
    interface DeadLetters {
        void send(String reason) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(RecordTicket.class);
    /**
     * Pauses between tries to dead-letter while the broker is out of reach. Retried without a count
     * because a record neither processed nor parked must not be committed past: nothing can be
     * committed meanwhile anyway, and the loop ends when the partition is handed back.
     */
    private static final Backoff DEAD_LETTER_PAUSES = Backoff.untilStopped(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final PartitionProgress progress;
    private final long offset;
    private final DeadLetters deadLetters;
    private final AtomicBoolean ended = new AtomicBoolean();

    RecordTicket(PartitionProgress progress, long offset, DeadLetters deadLetters) {
        this.progress = Objects.requireNonNull(progress, "null progress");
        this.offset = offset;
        this.deadLetters = Objects.requireNonNull(deadLetters, "null dead letters");
    }

    public void done() {
        if (ended.compareAndSet(false, true)) {
            progress.done(offset);
        }
    }

    /**
     * Parks the record on the dead-letter topic with the reason, then lets the commit move past it. Blocks
     * while the broker is out of reach, until the record is parked or the partition is revoked.
     */
    public void deadLetter(String reason) {
        Objects.requireNonNull(reason, "null reason");
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            long pause = DEAD_LETTER_PAUSES.delayAfter(attempt).toMillis();
            try {
                deadLetters.send(reason);
                progress.done(offset);
                return;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted() || progress.isRevoked()) {
                    log.warn("record @{} could not be dead-lettered before its partition was handed back: {}", offset, e.getMessage());
                    progress.handedBack(offset);
                    return;
                }
                log.error("record @{} could not be dead-lettered ({}); trying again in {} ms", offset, e.getMessage(), pause);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                progress.handedBack(offset);
                return;
            }
        }
    }

    /**
     * Leaves the record for the partition's next owner. Legitimate only once the partition is revoked (a
     * rebalance, or this consumer stopping); a handler that hands back a record of a partition it still owns
     * would freeze the partition's commit, so such a record is dead-lettered instead.
     */
    public void handBack() {
        if (!progress.isRevoked()) {
            log.error("record @{} was handed back while its partition is still assigned; dead-lettering it instead", offset);
            deadLetter("handed back unfinished while its partition was still assigned");
            return;
        }
        if (ended.compareAndSet(false, true)) {
            progress.handedBack(offset);
        }
    }

    /** The partition was handed to another consumer: work not yet started should be handed back. */
    public boolean isRevoked() {
        return progress.isRevoked();
    }

    public long offset() {
        return offset;
    }
}
