package io.sessionflow.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** What every service needs: Kafka, Postgres, models, and where the agent and team definitions are. */
public record PipelineSettings(KafkaSettings kafka, DatabaseSettings database, ModelSettings model, Optional<Path> componentsFile) {

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
}
