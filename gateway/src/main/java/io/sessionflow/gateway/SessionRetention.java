package io.sessionflow.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.store.Database;
import io.sessionflow.gateway.store.SessionPurge;
import io.sessionflow.store.session.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes sessions idle (not updated) for longer than the retention, the seed's "clean up old
 * sessions: implement a data retention policy". In the background, in batches of {@link #BATCH}
 * with a pause between them, each batch its own short transaction, so live traffic is never held
 * up; one gateway sweeps at a time (a Postgres advisory lock per batch), the others skip.
 */
public final class SessionRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionRetention.class);
    static final int BATCH = 500;
    /** Any fixed number: the lock's name among the application's advisory locks. */
    private static final long LOCK_KEY = 0x5E5510_4E7E4710L;

    private final Database database;
    private final Duration retention;
    private final int batch;
    private final Duration every;
    private final Duration pause;
    private final SessionDeletions deletions;
    private final Clock clock;
    private final SessionStore sessions = new SessionStore();
    private final SessionPurge purge = new SessionPurge();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("session-retention"));

    /**
     * @param every how long between sweeps
     * @param pause how long between two batches of one sweep
     */
    public SessionRetention(Database database, Duration retention, int batch, Duration every, Duration pause, MeterRegistry metrics,
                            Clock clock) {
        this(database, retention, batch, every, pause, new SessionDeletions(metrics), clock);
    }

    SessionRetention(Database database, Duration retention, int batch, Duration every, Duration pause, SessionDeletions deletions,
                     Clock clock) {
        this.database = database;
        this.retention = retention;
        this.batch = batch;
        this.every = every;
        this.pause = pause;
        this.deletions = deletions;
        this.clock = clock;
    }

    SessionRetention start() {
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("session retention on: sessions not updated for {} are deleted", retention);
        return this;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // The next round tries again; a database outage must not stop retention for good.
            log.warn("session retention sweep failed: {}", e.getMessage());
        }
    }

    /** One sweep: batches until a batch comes back short, or another gateway holds the lock. @return sessions deleted */
    public long sweep() {
        SessionPurge.Filter idle = new SessionPurge.Filter(null, null, clock.instant().minus(retention));
        long total = 0;
        while (!Thread.currentThread().isInterrupted()) {
            List<String> deleted = database.inTransaction(c -> purge.tryLock(c, LOCK_KEY)
                    ? purge.deleteBatch(c, sessions, idle, batch) : null);
            if (deleted == null) {
                log.debug("another gateway is sweeping sessions");
                break;
            }
            deletions.deleted("retention", deleted.size());
            total += deleted.size();
            if (deleted.size() < batch) {
                break;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (total > 0) {
            log.info("session retention deleted {} sessions not updated for {}", total, retention);
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
