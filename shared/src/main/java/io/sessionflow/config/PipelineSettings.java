package io.sessionflow.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every service needs: Kafka, Postgres, models, and where the agent and team definitions are.
 * Read once; each service's own settings build on these.
 */
public record PipelineSettings(KafkaSettings kafka, DatabaseSettings database, ModelSettings model, Optional<Path> componentsFile) {

    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

    public PipelineSettings {
        Objects.requireNonNull(kafka, "null kafka settings");
        Objects.requireNonNull(database, "null database settings");
        Objects.requireNonNull(model, "null model settings");
        Objects.requireNonNull(componentsFile, "null components file");
    }

    public static PipelineSettings read(Env env) {
        return new PipelineSettings(
                KafkaSettings.read(env),
                DatabaseSettings.read(env),
                ModelSettings.read(env),
                env.optional("SESSIONFLOW_COMPONENTS").map(Path::of));
    }

    /**
     * How long a stopping worker waits for its work in flight: one setting for every worker in the
     * process, read once, and only by a process that runs a worker.
     */
    public static Duration shutdownGrace(Env env) {
        return Duration.ofSeconds(env.integer("SESSIONFLOW_SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 3600));
    }

    /** The topic prefix, which also starts every consumer group's default name. */
    public String topicPrefix() {
        return kafka.topics().prefix();
    }
}
