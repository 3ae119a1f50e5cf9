package io.sessionflow.store;

import io.sessionflow.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: units of work submitted from many threads are gathered into batches that a few
 * writer threads run, one transaction and a handful of set-based statements per batch. Nothing
 * waits for a batch to fill: a writer takes whatever is queued when it comes free, so under light
 * load a batch is one unit (the latency of running it alone), and under heavy load one round trip
 * serves many runs (the queue grows exactly while the writers are busy).
 *
 * <p>When a batch fails as a whole (a deadlock, a constraint one unit broke), each of its units is
 * run again alone, so a bad unit fails only its own caller. When it fails because the database is
 * out of reach, every unit gets that failure at once: alone, each would only wait for a connection
 * again, and the callers have their own way of waiting out an outage.
 *
 * @param <I> a unit of work
 * @param <O> its result, one per unit and in the same order
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final String name;
    private final Function<List<I>, List<O>> runBatch;
    private final int maxBatch;
    private final IntConsumer batchSizes;
    private final BlockingQueue<Pending<I, O>> queue;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param runBatch   runs a batch in one transaction and returns one result per unit, in order
     * @param writers    batches run at once (each holds a database connection while it runs)
     * @param batchSizes told the size of every batch run (for metrics)
     */
    public GroupCommit(String name, Function<List<I>, List<O>> runBatch, int writers, int maxBatch, IntConsumer batchSizes) {
        this(name, runBatch, writers, maxBatch, batchSizes, new LinkedBlockingQueue<>());
    }

    /** @param queue where units wait for a writer (tests pass one that holds an enqueue back, to replay a race) */
    GroupCommit(String name, Function<List<I>, List<O>> runBatch, int writers, int maxBatch, IntConsumer batchSizes,
                BlockingQueue<Pending<I, O>> queue) {
        this.queue = Objects.requireNonNull(queue, "null queue");
        this.name = Objects.requireNonNull(name, "null name");
        this.runBatch = Objects.requireNonNull(runBatch, "null batch work");
        this.batchSizes = Objects.requireNonNull(batchSizes, "null batch size listener");
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be positive: " + writers + ", " + maxBatch);
        }
        this.maxBatch = maxBatch;
        java.util.concurrent.ThreadFactory threads = DaemonThreads.numbered(name + "-writer-");
        for (int i = 1; i <= writers; i++) {
            Thread writer = threads.newThread(this::write);
            this.writers.add(writer);
            writer.start();
        }
    }

    /**
     * Runs the unit in the next batch and waits for its result.
     *
     * @throws RuntimeException what running the unit threw (a {@link StoreException} for the database)
     */
    public O run(I unit) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!running) {
            throw transientFailure(name + " is closed");
        }
        Pending<I, O> pending = new Pending<>(unit, result);
        queue.add(pending);
        // close() may have drained the queue between the check above and the add: then no writer and no
        // drain will ever complete this unit. Looked at again after the add, a close is always seen; if the
        // unit is still queued it is taken back (failed here), otherwise whoever took it completes it.
        if (!running && queue.remove(pending)) {
            throw transientFailure(name + " is closed");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw transientFailure("interrupted while waiting for " + name);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Units waiting for a writer. */
    public int queued() {
        return queue.size();
    }

    /**
     * Stops the writers; units still queued fail (transiently, so their callers may try again elsewhere),
     * and so does every later {@link #run}, at once.
     */
    @Override
    public void close() {
        running = false;
        writers.forEach(Thread::interrupt);
        for (Thread writer : writers) {
            try {
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending<I, O>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(transientFailure(name + " closed before the work ran")));
    }

    private void write() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                run(batch);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                // run() completes every unit; anything escaping it is a bug that must not kill the writer.
                log.error("{} writer failed unexpectedly", name, e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending<I, O>> batch) {
        batchSizes.accept(batch.size());
        List<I> units = batch.stream().map(Pending::unit).toList();
        try {
            List<O> results = runBatch.apply(units);
            if (results.size() != units.size()) {
                throw new IllegalStateException(name + " returned " + results.size() + " results for " + units.size() + " units");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1 || (e instanceof StoreException store && store.isConnectionLoss())) {
                batch.forEach(pending -> pending.result().completeExceptionally(e));
                return;
            }
            log.debug("{} batch of {} failed ({}); running its units one by one", name, batch.size(), e.getMessage());
            for (Pending<I, O> pending : batch) {
                try {
                    pending.result().complete(runBatch.apply(List.of(pending.unit())).get(0));
                } catch (RuntimeException alone) {
                    pending.result().completeExceptionally(alone);
                }
            }
        }
    }

    /** A failure a caller may retry (on this worker later, or on the partition's next owner). */
    private static StoreException transientFailure(String message) {
        return new StoreException(message, new java.sql.SQLTransientException(message));
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    record Pending<I, O>(I unit, CompletableFuture<O> result) {
    }
}
