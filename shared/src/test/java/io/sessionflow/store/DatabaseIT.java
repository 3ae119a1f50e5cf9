package io.sessionflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sessionflow.config.DatabaseSettings;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import io.sessionflow.embedded.EmbeddedStackExtension;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedStackExtension.class)
class DatabaseIT {

    private static Database database;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres) {
        database = Database.open(new DatabaseSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2), "database-test");
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    /**
     * The server ending a connection mid-transaction (as a restart or failover does) must surface as
     * the transient outage it is, not as the rollback's "connection is closed" on the broken connection.
     */
    @Test
    void shouldReportAConnectionLostMidTransactionAsTransient() {
        StoreException failure = catchThrowableOfType(StoreException.class, () -> database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
                statement.execute("SELECT pg_terminate_backend(pg_backend_pid())");
            }
            return null;
        }));

        assertThat(failure).isNotNull();
        assertThat(failure.getCause()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure.getCause()).getSQLState()).startsWith("57P");
        assertThat(failure.isTransient()).isTrue();
        Boolean stillServing = database.withConnection(c -> c.isValid(1));
        assertThat(stillServing).isTrue();
    }
}
