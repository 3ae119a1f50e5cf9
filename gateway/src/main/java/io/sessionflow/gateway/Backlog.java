package io.sessionflow.gateway;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure: the runs accepted and not yet finished, counted in Postgres (so every gateway sees
 * the same number) a few times a second. Past the bound the gateway answers 429 with Retry-After
 * rather than accept work the workers cannot finish.
 */
public final class Backlog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Backlog.class);

    private final Database database;
    private final long limit;
    private final RunStore runs = new RunStore();
    private final ScheduledExecutorService refresher;
    private volatile long unfinished;

    Backlog(Database database, long limit) {
        this.database = database;
        this.limit = limit;
        this.refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-backlog"));
    }

    Backlog start() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, 250, TimeUnit.MILLISECONDS);
        return this;
    }

    void refresh() {
        try {
            unfinished = database.withConnection(runs::countUnfinished);
        } catch (RuntimeException e) {
            log.warn("could not count the backlog: {}", e.getMessage());
        }
    }

    /** Refuses a new run while the backlog is at its bound. */
    public void admit() {
        if (unfinished >= limit) {
            throw new ApiException(429, "backlog_full", "too many runs are waiting (" + unfinished + " of at most " + limit
                    + "); retry later", null, 1);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
