package io.sessionflow.snapshot;

import io.sessionflow.config.Env;
import java.time.Duration;

/**
 * Settings of a worker that keeps derived session data (summaries, contexts) up to date.
 *
 * @param everyRuns   an update is due once this many runs wait
 * @param maxDelay    ... or once the oldest waiting run has waited this long
 * @param maxAttempts tries of a model call whose output is malformed or that fails transiently
 * @param concurrency sessions updated at once
 * @param updateTries tries of a session's update (pauses doubling from 1 s up to 16 s) before the
 *                    records waiting for it are dead-lettered with the reason
 */
public record SnapshotSettings(String groupId, int everyRuns, Duration maxDelay, int maxAttempts, int concurrency, Duration shutdownGrace,
                               int updateTries) {

    public static final int DEFAULT_EVERY_RUNS = 5;
    public static final int DEFAULT_MAX_DELAY_MS = 1000;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_CONCURRENCY = 32;
    public static final int DEFAULT_UPDATE_TRIES = 6;

    /** @param kind {@code SUMMARY} or {@code CONTEXT}: the variables are {@code SESSIONFLOW_<kind>_EVERY_RUNS} and so on */
    public static SnapshotSettings read(Env env, String topicPrefix, Duration shutdownGrace, String kind, String groupName) {
        return new SnapshotSettings(
                env.string("SESSIONFLOW_" + kind + "_GROUP", topicPrefix + groupName),
                env.integer("SESSIONFLOW_" + kind + "_EVERY_RUNS", DEFAULT_EVERY_RUNS, 1, 10_000),
                Duration.ofMillis(env.integer("SESSIONFLOW_" + kind + "_MAX_DELAY_MS", DEFAULT_MAX_DELAY_MS, 0, 3_600_000)),
                env.integer("SESSIONFLOW_" + kind + "_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 20),
                env.integer("SESSIONFLOW_" + kind + "_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 10_000),
                shutdownGrace,
                env.integer("SESSIONFLOW_" + kind + "_UPDATE_TRIES", DEFAULT_UPDATE_TRIES, 1, 100));
    }
}
