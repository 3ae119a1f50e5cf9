package io.sessionflow.launcher;

import io.sessionflow.embedded.EmbeddedKafka;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills in what the environment leaves out: with no {@code KAFKA_BOOTSTRAP_SERVERS} an in-process
 * KRaft broker, with no {@code DATABASE_URL} an embedded Postgres. What is configured is used as is.
 */
public final class EmbeddedDefaults implements AutoCloseable {

    private final Map<String, String> env;
    private final List<AutoCloseable> started;

    private EmbeddedDefaults(Map<String, String> env, List<AutoCloseable> started) {
        this.env = env;
        this.started = started;
    }

    public static EmbeddedDefaults fill(Map<String, String> configured) {
        Map<String, String> env = new HashMap<>(configured);
        List<AutoCloseable> started = new ArrayList<>();
        if (isBlank(env.get("DATABASE_URL"))) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
            started.add(postgres);
            env.put("DATABASE_URL", postgres.jdbcUrl());
            env.put("DATABASE_USER", postgres.user());
            env.put("DATABASE_PASSWORD", postgres.password());
        }
        if (isBlank(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            started.add(kafka);
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        }
        return new EmbeddedDefaults(env, started);
    }

    public Map<String, String> env() {
        return env;
    }

    boolean embeddedKafka() {
        return started.stream().anyMatch(EmbeddedKafka.class::isInstance);
    }

    boolean embeddedPostgres() {
        return started.stream().anyMatch(EmbeddedPostgresServer.class::isInstance);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // Shutting down: a server that will not stop cleanly is gone with the process anyway.
            }
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
