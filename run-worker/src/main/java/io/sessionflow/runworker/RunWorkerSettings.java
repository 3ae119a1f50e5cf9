package io.sessionflow.runworker;

import io.sessionflow.config.Env;
import io.sessionflow.run.Backoff;
import io.sessionflow.runworker.tool.ToolSettings;
import java.time.Duration;

/**
 * @param concurrency    runs executing at once (one per session), i.e. model calls in flight
 * @param maxBuffered    records read but not finished before the worker stops fetching more
 * @param shutdownGrace  how long stopping (or losing partitions) waits for runs in flight
 * @param runTimeout     a run's whole time budget, model calls and retries included
 * @param dbWriters      batches each of the run's two transactions runs at once (each holds a connection)
 * @param maxBatch       the most runs one group commit takes
 * @param tools          how HTTP tools are called
 * @param pauseTimeout   how long a paused run waits for its tool results or approvals before it fails
 */
public record RunWorkerSettings(String groupId, int concurrency, int maxBuffered, Duration shutdownGrace, Backoff backoff,
                                Duration runTimeout, int dbWriters, int maxBatch, ToolSettings tools, Duration pauseTimeout) {

    public static final int DEFAULT_CONCURRENCY = 256;
    /** Records held per run that may run at once, unless SESSIONFLOW_WORKER_MAX_BUFFERED says otherwise. */
    public static final int DEFAULT_BUFFERED_PER_CONCURRENT_RUN = 4;
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** The pauses between a run's attempts: short, since a caller waits, and capped well inside a run's time. */
    public static final Duration FIRST_RETRY = Duration.ofMillis(200);
    public static final Duration LAST_RETRY = Duration.ofSeconds(10);
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_DB_WRITERS = 4;
    public static final int DEFAULT_MAX_BATCH = 256;
    /** A day: long enough for a human to answer an approval; a pause holds no thread, only a row. */
    public static final int DEFAULT_PAUSE_TIMEOUT_SECONDS = 86_400;

    public static RunWorkerSettings read(Env env, String topicPrefix, Duration shutdownGrace) {
        int concurrency = env.integer("SESSIONFLOW_WORKER_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 10_000);
        return new RunWorkerSettings(
                env.string("SESSIONFLOW_RUN_WORKER_GROUP", topicPrefix + "run-worker"),
                concurrency,
                env.integer("SESSIONFLOW_WORKER_MAX_BUFFERED", concurrency * DEFAULT_BUFFERED_PER_CONCURRENT_RUN, 1, 1_000_000),
                shutdownGrace,
                new Backoff(env.integer("SESSIONFLOW_RUN_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 20), FIRST_RETRY, LAST_RETRY),
                Duration.ofSeconds(env.integer("SESSIONFLOW_RUN_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, 1, 86_400)),
                env.integer("SESSIONFLOW_WORKER_DB_WRITERS", DEFAULT_DB_WRITERS, 1, 64),
                env.integer("SESSIONFLOW_WORKER_MAX_BATCH", DEFAULT_MAX_BATCH, 1, 10_000),
                ToolSettings.read(env),
                Duration.ofSeconds(env.integer("SESSIONFLOW_PAUSE_TIMEOUT_SECONDS", DEFAULT_PAUSE_TIMEOUT_SECONDS, 1, 30 * 86_400)));
    }
}
