package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionflow.gateway.SessionRetention;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention and purge by filter on the real Postgres: batches, tombstones, one sweeper at a time, counted. */
@PipelineIT
class SessionRetentionIT {

    /** Old enough that no other test's session is this idle: the sweep runs on the shared database. */
    private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");
    private static final Duration RETENTION = Duration.between(LONG_AGO, Instant.now());

    private final TestPipeline pipeline;
    private final Rows rows;

    SessionRetentionIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldDeleteIdleSessionsInBatchesLeavingTombstonesAndCountingThem() {
        String user = SessionSemanticsIT.newId("retention");
        List<String> idle = List.of(user + "-old1", user + "-old2", user + "-old3");
        create(user, idle.get(0), idle.get(1), idle.get(2), user + "-fresh");
        setUpdatedAt(Instant.parse("2000-06-01T00:00:00Z"), idle.toArray(String[]::new));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();

        long deleted = new SessionRetention(pipeline.database, RETENTION, 2, Duration.ofHours(1), Duration.ofMillis(10), metrics,
                Clock.systemUTC()).sweep();

        assertThat(deleted).isEqualTo(3);
        for (String id : idle) {
            assertThat(rows.count("SELECT count(*) FROM sessions WHERE session_id = ?", id)).as(id).isZero();
            assertThat(rows.count("SELECT count(*) FROM session_tombstones WHERE session_id = ?", id)).as(id).isEqualTo(1);
        }
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE session_id = ?", user + "-fresh")).isEqualTo(1);
        assertThat(metrics.counter("sessionflow.sessions.deleted", "reason", "retention").count()).isEqualTo(3.0);
    }

    @Test
    void shouldLeaveTheSweepToTheGatewayHoldingTheLock() throws Exception {
        String user = SessionSemanticsIT.newId("retention-lock");
        create(user, user + "-old");
        setUpdatedAt(Instant.parse("2000-06-01T00:00:00Z"), user + "-old");
        SessionRetention retention = new SessionRetention(pipeline.database, RETENTION, 10, Duration.ofHours(1), Duration.ZERO,
                new SimpleMeterRegistry(), Clock.systemUTC());

        try (Connection other = java.sql.DriverManager.getConnection(pipeline.pipeline.settings().database().jdbcUrl(),
                pipeline.pipeline.settings().database().user(), pipeline.pipeline.settings().database().password())) {
            other.setAutoCommit(false);
            other.createStatement().execute("SELECT pg_advisory_xact_lock(" + 0x5E5510_4E7E4710L + ")");
            assertThat(retention.sweep()).isZero();
            other.rollback();
        }
        assertThat(retention.sweep()).isEqualTo(1);
    }

    @Test
    void shouldPurgeByUserComponentAndUpdatedBeforeForAdminsOnly() {
        String user = SessionSemanticsIT.newId("purge");
        String other = SessionSemanticsIT.newId("purge-other");
        create(user, user + "-a", user + "-b");
        create(other, other + "-a");
        String purge = "/v1/sessions/purge";

        assertThat(pipeline.client.withKey(TestPipeline.keyFor("alice")).post(purge, "{\"user_id\": \"alice\"}").status()).isEqualTo(403);
        assertThat(pipeline.client.post(purge, "{}").status()).isEqualTo(400);
        assertThat(pipeline.client.post(purge, "{\"user\": \"x\"}").body().path("error").path("field").asText()).isEqualTo("user");
        assertThat(pipeline.client.post(purge, "{\"updated_before\": \"last week\"}").body().path("error").path("field").asText())
                .isEqualTo("updated_before");

        // Not updated before 2001: nothing of theirs yet.
        assertThat(pipeline.client.post(purge, Json.toText(Json.object().put("user_id", user).put("updated_before", "2001-01-01")))
                .body().path("deleted").asLong()).isZero();
        GatewayClient.Response purged = pipeline.client.post(purge, Json.toText(Json.object().put("user_id", user)
                .put("component_id", "personal-assistant")));
        assertThat(purged.status()).as("%s", purged.body()).isEqualTo(200);
        assertThat(purged.body().path("deleted").asLong()).isEqualTo(2);
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE user_id = ?", user)).isZero();
        assertThat(rows.count("SELECT count(*) FROM session_tombstones WHERE session_id = ?", user + "-a")).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE user_id = ?", other)).isEqualTo(1);
        String scrape = new GatewayClient(pipeline.gateway.url(), null).get("/metrics").body().path("text").asText();
        assertThat(scrape).containsPattern("sessionflow_sessions_deleted_total\\{reason=\"purge\"[^}]*\\} [1-9]");
    }

    private void create(String user, String... ids) {
        for (String id : ids) {
            assertThat(pipeline.client.post("/v1/sessions", Json.toText(Json.object().put("session_id", id).put("user_id", user)
                    .put("component_type", "agent").put("component_id", "personal-assistant"))).status()).isEqualTo(201);
        }
    }

    private void setUpdatedAt(Instant at, String... ids) {
        pipeline.database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE sessions SET updated_at = ? WHERE session_id = ANY (?)")) {
                update.setTimestamp(1, Timestamp.from(at));
                update.setArray(2, c.createArrayOf("text", ids));
                return update.executeUpdate();
            }
        });
    }
}
