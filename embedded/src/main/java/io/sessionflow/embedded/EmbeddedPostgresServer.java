package io.sessionflow.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server run from binaries shipped in a Maven artifact. Zonky starts it through
 * {@code unshare} when the JVM runs as root, which initdb would otherwise refuse.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.postgres = launch(dataDirectory, port);
    }

    public static EmbeddedPostgresServer start() {
        try {
            return new EmbeddedPostgresServer(Files.createTempDirectory("sessionflow-postgres-"), EmbeddedKafka.freePort());
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded Postgres: " + e.getMessage(), e);
        }
    }

    /** Stops the server, as a crash or a maintenance restart would, and starts it again on the same data and port. */
    public void restart() {
        stop();
        postgres = launch(dataDirectory, port);
    }

    /** Starts a {@link #stop() stopped} server again, on the same data and port. */
    public void resume() {
        postgres = launch(dataDirectory, port);
    }

    /** Stops the server, keeping its data; {@link #resume()} brings it back. */
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop embedded Postgres", e);
        }
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "300")
                    // Durability of a throw-away dev database is not worth an fsync per commit.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded Postgres: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        stop();
        Directories.deleteQuietly(dataDirectory);
    }
}
