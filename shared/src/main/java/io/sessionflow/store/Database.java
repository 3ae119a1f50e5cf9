package io.sessionflow.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sessionflow.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The Postgres connection pool, migrated to the current schema when opened. Flyway takes a Postgres
 * advisory lock, so several services starting at once migrate once.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(DatabaseSettings settings, String poolName) {
        return open(settings, poolName, null);
    }

    /** @param metrics where the pool reports its connections, waits and timeouts (HikariCP's Micrometer metrics); may be null */
    public static Database open(DatabaseSettings settings, String poolName, io.micrometer.core.instrument.MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName(poolName);
        if (metrics != null) {
            config.setMetricRegistry(metrics);
        }
        config.setAutoCommit(true);
        // Fail fast at start-up when the database is unreachable, with the pool's own message.
        config.setInitializationFailTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("could not migrate the database schema: " + e.getMessage(), e);
        }
        return new Database(dataSource);
    }

    /**
     * Runs the work in one transaction: committed if it returns, rolled back if it throws. The work's
     * own failure is what is thrown: when the server went away mid-transaction, the rollback and the
     * reset of the broken connection fail too ("connection is closed", with no SQL state), and
     * letting them replace it would turn a transient outage into a permanent-looking error.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.apply(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                quietly(connection::rollback, e);
                quietly(() -> connection.setAutoCommit(true), e);
                throw e;
            }
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Runs a clean-up step after a failure, keeping the failure as the cause and the step's own error as suppressed. */
    private static void quietly(CleanUp step, Exception failure) {
        try {
            step.run();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface CleanUp {
        void run() throws SQLException;
    }

    /** Runs read-only or single-statement work on a pooled connection in auto-commit mode. */
    public <T> T withConnection(TransactionWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Whether the server answers a validity check within {@code seconds} (the readiness probe). */
    public boolean answers(int seconds) {
        return withConnection(c -> c.isValid(seconds));
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @FunctionalInterface
    public interface TransactionWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
