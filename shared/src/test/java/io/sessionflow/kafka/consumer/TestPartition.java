package io.sessionflow.kafka.consumer;

import java.util.function.Consumer;

/**
 * One partition's progress as the consumer loop drives it, opened to tests of other packages (the snapshot
 * coalescer) that hand out tickets without a broker; the loop's own methods stay package-private.
 */
public final class TestPartition {

    private final PartitionProgress progress = new PartitionProgress();

    /** A ticket for the record at the offset, as the loop issues it when the record starts. */
    public RecordTicket ticket(long offset, Consumer<String> deadLetters) {
        progress.started(offset);
        return new RecordTicket(progress, offset, deadLetters::accept);
    }

    public long committable() {
        return progress.committable();
    }

    public int unfinishedCount() {
        return progress.unfinishedCount();
    }

    public void revoke() {
        progress.revoke();
    }

    public boolean awaitQuiet(long timeoutMillis) throws InterruptedException {
        return progress.awaitQuiet(timeoutMillis);
    }
}
