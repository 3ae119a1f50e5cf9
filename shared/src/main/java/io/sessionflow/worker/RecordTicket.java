package io.sessionflow.worker;

/**
 * One record handed to a handler. The handler calls {@link #done()} once the record's work is
 * durable (only then may the offset be committed past it), or {@link #abandon()} to leave it for a
 * redelivery. Exactly one of the two, exactly once.
 */
public final class RecordTicket {

    private final PartitionProgress progress;
    private final long offset;

    RecordTicket(PartitionProgress progress, long offset) {
        this.progress = progress;
        this.offset = offset;
    }

    public void done() {
        progress.done(offset);
    }

    public void abandon() {
        progress.abandoned(offset);
    }

    /** The partition was handed to another consumer: work not yet started should be abandoned. */
    public boolean isRevoked() {
        return progress.isRevoked();
    }

    public long offset() {
        return offset;
    }
}
