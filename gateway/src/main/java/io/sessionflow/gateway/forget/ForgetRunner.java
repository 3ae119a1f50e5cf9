package io.sessionflow.gateway.forget;

import io.sessionflow.gateway.store.UserErasures;

import io.sessionflow.store.Database;
import io.sessionflow.concurrent.DaemonThreads;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs erasure jobs one at a time, each in short transactions of {@link #BATCH} sessions, so that
 * forgetting a user with many sessions never holds long locks. Jobs left running by a stopped gateway
 * are resumed at start; a job that fails is left running and resumed by the next request or start.
 */
public final class ForgetRunner implements AutoCloseable {

    static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(ForgetRunner.class);

    private final Database database;
    private final Clock clock;
    private final UserErasures erasures = new UserErasures();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.numbered("user-erasure-"));

    public ForgetRunner(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public ForgetRunner start() {
        database.withConnection(erasures::running).forEach(job -> submit(job.jobId(), job.userId()));
        return this;
    }

    void submit(String jobId, String userId) {
        if (queued.add(jobId)) {
            executor.execute(() -> {
                try {
                    run(new UserErasures.Running(jobId, userId));
                } catch (RuntimeException e) {
                    log.warn("erasure job {} stopped; asking again resumes it: {}", jobId, e.toString());
                } finally {
                    queued.remove(jobId);
                }
            });
        }
    }

    private void run(UserErasures.Running job) {
        while (database.inTransaction(c -> erasures.deleteSessions(c, job, BATCH, clock.instant())) > 0) {
            // next batch
        }
        database.inTransaction(c -> {
            erasures.finish(c, job, clock.instant());
            return null;
        });
        log.info("erasure job {} completed", job.jobId());
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
