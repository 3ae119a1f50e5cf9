package io.sessionflow.kafka.consumer;

import java.util.TreeSet;

/**
 * The records of one assigned partition that were handed out and are not done yet. The committable
 * offset is the lowest unfinished one: every record before it is done, whatever order the sessions
 * finished in. Thread-safe: tasks finish records while the poll loop reads the offset.
 */
public final class PartitionProgress {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long nextOffset = -1;
    private int outstanding;
    private volatile boolean revoked;

    synchronized void started(long offset) {
        unfinished.add(offset);
        nextOffset = Math.max(nextOffset, offset + 1);
        outstanding++;
    }

    /** The record's work is finished: the offset may be committed past. */
    synchronized void done(long offset) {
        if (unfinished.remove(offset)) {
            outstanding--;
            notifyAll();
        }
    }

    /**
     * The record was not finished because its partition was revoked first: the offset stays uncommitted,
     * for the next owner. (A record that failed is dead-lettered, then {@link #done}: never left here.)
     */
    synchronized void handedBack(long offset) {
        if (unfinished.contains(offset)) {
            outstanding--;
            notifyAll();
        }
    }

    /** The offset to commit (the next record to read after a restart), or -1 if nothing was seen. */
    synchronized long committable() {
        return unfinished.isEmpty() ? nextOffset : unfinished.first();
    }

    synchronized int unfinishedCount() {
        return unfinished.size();
    }

    void revoke() {
        revoked = true;
    }

    boolean isRevoked() {
        return revoked;
    }

    /** Waits until every record handed to the handler is done or handed back. @return whether that happened in time */
    synchronized boolean awaitQuiet(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (outstanding > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
