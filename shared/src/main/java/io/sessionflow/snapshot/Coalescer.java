package io.sessionflow.snapshot;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.SessionLanes;
import io.sessionflow.run.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stream of "session S has a new run N" into few updates: a session's update is due once
 * {@code everyRuns} runs are waiting or the oldest has waited {@code maxDelay}, so a burst costs a
 * handful of model calls and the last update always covers the latest run. The records behind an
 * update are finished (their offsets committable) only after it is stored, so a crash loses no
 * pending update: the records come back and the session is due again. An update that keeps failing
 * is tried a bounded number of times, then its records are dead-lettered with the reason.
 *
 * <p>Why not Kafka Streams for this state: the update is a model call of seconds, which would stall
 * a stream thread and every session behind it on the partition, and the result belongs in Postgres
 * (the truth), not a changelog topic. The "due" state is small, rebuilt from the uncommitted
 * records after a restart, and this class is the whole of it.
 */
public final class Coalescer implements AutoCloseable {

    /** Brings one session's derived data up to at least {@code latestRunIndex}. */
    @FunctionalInterface
    public interface Update {
        void apply(String sessionId, Pending due) throws Exception;
    }

    /** What is waiting for one session. */
    public static final class Pending {
        private int latestRunIndex;
        private int runs;
        private final long firstSeenNanos = System.nanoTime();
        private final List<RecordTicket> tickets = new ArrayList<>();
        private final Object detail;
        private int failures;
        private long retryAtNanos;

        Pending(Object detail) {
            this.detail = detail;
        }

        public int latestRunIndex() {
            return latestRunIndex;
        }

        public int runs() {
            return runs;
        }

        /** What the caller attached to the first offer (for example, the component that owns the session). */
        public Object detail() {
            return detail;
        }

        /** Takes in what was offered for the session while this update was running. */
        private void absorb(Pending newer) {
            latestRunIndex = Math.max(latestRunIndex, newer.latestRunIndex);
            runs += newer.runs;
            tickets.addAll(newer.tickets);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private final String name;
    private final int everyRuns;
    private final long maxDelayNanos;
    private final SessionLanes lanes;
    private final Update update;
    private final Backoff retries;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Set<String> running = new HashSet<>();
    private final ScheduledExecutorService ticker;

    /**
     * A failing update is tried again with pauses from 1 s up to 16 s (by default six tries: about half a minute,
     * enough for a model or database blip). Bounded because its records hold their partition's commit until they
     * end; giving up loses nothing, since the next update catches up from what is stored.
     */
    public static Backoff updateRetries(int tries) {
        return new Backoff(tries, Duration.ofSeconds(1), Duration.ofSeconds(16));
    }

    /**
     * @param retries how often, and with what pauses, a failing update of a session is tried before its
     *                records are dead-lettered with the reason ({@link #updateRetries})
     */
    public Coalescer(String name, int everyRuns, Duration maxDelay, SessionLanes lanes, Update update, Backoff retries) {
        this.name = Objects.requireNonNull(name, "null name");
        if (everyRuns < 1) {
            throw new IllegalArgumentException("everyRuns must be >= 1");
        }
        this.everyRuns = everyRuns;
        this.maxDelayNanos = maxDelay.toNanos();
        this.lanes = Objects.requireNonNull(lanes, "null lanes");
        this.update = Objects.requireNonNull(update, "null update");
        this.retries = Objects.requireNonNull(retries, "null retries");
        this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-coalescer"));
    }

    public Coalescer start() {
        ticker.scheduleWithFixedDelay(this::tick, 20, 20, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Notes that the session has run {@code runIndex}; the ticket is finished when an update covering it is stored. */
    public void offer(String sessionId, int runIndex, Object detail, RecordTicket ticket) {
        synchronized (pending) {
            Pending entry = pending.computeIfAbsent(sessionId, id -> new Pending(detail));
            entry.latestRunIndex = Math.max(entry.latestRunIndex, runIndex);
            entry.runs++;
            entry.tickets.add(ticket);
        }
    }

    /** Runs waiting for an update, across sessions (the freshness lag in runs). */
    public int lagRuns() {
        synchronized (pending) {
            return pending.values().stream().mapToInt(p -> p.runs).sum();
        }
    }

    /** How long the oldest waiting run has waited, in milliseconds (the freshness lag in time). */
    public long lagMillis() {
        long now = System.nanoTime();
        synchronized (pending) {
            return pending.values().stream().mapToLong(p -> (now - p.firstSeenNanos) / 1_000_000).max().orElse(0);
        }
    }

    private void tick() {
        List<Map.Entry<String, Pending>> due = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (pending) {
            Iterator<Map.Entry<String, Pending>> entries = pending.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, Pending> entry = entries.next();
                Pending waiting = entry.getValue();
                // Records of partitions handed to another worker are that worker's to update now.
                waiting.tickets.removeIf(ticket -> {
                    if (ticket.isRevoked()) {
                        ticket.handBack();
                        return true;
                    }
                    return false;
                });
                if (waiting.tickets.isEmpty()) {
                    entries.remove();
                    continue;
                }
                // A session whose update failed is due again once its pause is over, however few runs wait.
                boolean isDue = waiting.failures > 0 ? now - waiting.retryAtNanos >= 0
                        : waiting.runs >= everyRuns || now - waiting.firstSeenNanos >= maxDelayNanos;
                if (isDue && running.add(entry.getKey())) {
                    entries.remove();
                    due.add(entry);
                }
            }
        }
        for (Map.Entry<String, Pending> entry : due) {
            try {
                lanes.submit(entry.getKey(), () -> run(entry.getKey(), entry.getValue()));
            } catch (RuntimeException e) {
                // Shutting down (the pool refused): hand the records back rather than stop ticking for good.
                entry.getValue().tickets.forEach(RecordTicket::handBack);
                synchronized (pending) {
                    running.remove(entry.getKey());
                }
            }
        }
    }

    private void run(String sessionId, Pending due) {
        try {
            update.apply(sessionId, due);
            due.tickets.forEach(RecordTicket::done);
        } catch (Exception e) {
            failed(sessionId, due, e);
        } finally {
            synchronized (pending) {
                running.remove(sessionId);
            }
        }
    }

    /**
     * A failed update is tried again after a pause, together with whatever arrived for the session
     * meanwhile; after the last try its records are dead-lettered with the reason, so that one session
     * whose update keeps failing cannot hold up its partition's commit. Nothing is lost for the session:
     * its next update starts from the stored snapshot and covers every run up to the latest.
     */
    private void failed(String sessionId, Pending due, Exception e) {
        if (Thread.currentThread().isInterrupted()) {
            // Stopping: the records go back uncommitted to whoever owns their partitions next.
            due.tickets.forEach(RecordTicket::handBack);
            return;
        }
        due.failures++;
        if (due.failures >= retries.maxAttempts()) {
            String reason = name + ": updating session " + sessionId + " failed " + due.failures + " times; last error: "
                    + (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            log.error("{}; dead-lettering its {} records", reason, due.tickets.size(), e);
            due.tickets.forEach(ticket -> ticket.deadLetter(reason));
            return;
        }
        Duration pause = retries.delayAfter(due.failures);
        log.warn("{}: updating session {} failed (try {} of {}), trying again in {} ms", name, sessionId, due.failures,
                retries.maxAttempts(), pause.toMillis(), e);
        due.retryAtNanos = System.nanoTime() + pause.toNanos();
        synchronized (pending) {
            Pending newer = pending.remove(sessionId);
            if (newer != null) {
                due.absorb(newer);
            }
            pending.put(sessionId, due);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
