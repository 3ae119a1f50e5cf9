package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.config.Env;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Batch reprocessing on the real broker and Postgres, with the local model. */
@PipelineIT
class ReprocessIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    ReprocessIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldRebuildTenThousandSessionsWhileLiveRunsFlowAndTouchNothingElse() {
        String user = "rp-" + UUID.randomUUID().toString().substring(0, 8);
        String outsider = user + "-outside";
        seed(pipeline.database, user, 10_000);
        seed(pipeline.database, outsider, 200);

        long started = System.nanoTime();
        JsonNode job = pipeline.client.post("/v1/reprocess", "{\"kind\": \"summaries\", \"filter\": {\"user_id\": \"" + user + "\"}}").body();
        String jobId = job.path("job_id").asText();
        assertThat(job.path("total").asInt()).isEqualTo(10_000);

        // Live runs on sessions the job covers, while it runs.
        List<String> live = List.of(user + "-17", user + "-4242", user + "-9999");
        for (int round = 0; round < 3; round++) {
            for (String session : live) {
                assertThat(pipeline.client.run("agents", "summarized", SessionSemanticsIT.body(user, session, "live " + round + ".", null))
                        .status()).isEqualTo(200);
            }
        }

        Eventually.await("job " + jobId + " completes", Duration.ofSeconds(240),
                () -> "completed".equals(pipeline.client.get("/v1/reprocess/" + jobId).body().path("status").asText()));
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode done = pipeline.client.get("/v1/reprocess/" + jobId).body();
        System.out.printf("FIGURE reprocess job over 10000 sessions: %.1f s, %.0f sessions/s (API rate_per_s %s)%n",
                seconds, 10_000 / seconds, done.path("rate_per_s").asText());

        assertThat(done.path("done").asInt()).isEqualTo(10_000);
        assertThat(done.path("failed").asInt()).isZero();
        assertThat(rows.count("SELECT count(*) FROM session_summaries s JOIN sessions USING (session_id) "
                + "WHERE user_id = ? AND prompt_version = 'summary-v1'", user)).isEqualTo(10_000);
        assertThat(rows.count("SELECT count(*) FROM session_summaries s JOIN sessions USING (session_id) "
                + "WHERE user_id = ? AND prompt_version = 'old-v0' AND summary = 'old summary'", outsider)).isEqualTo(200);
        for (String session : live) {
            Eventually.await("the summary of " + session + " covers its latest run", Duration.ofSeconds(30), () -> rows.count(
                    "SELECT count(*) FROM session_summaries WHERE session_id = ? AND up_to_run_index = 5 AND prompt_version = 'summary-v1'",
                    session) == 1);
        }
        assertThat(rows.text("SELECT summary FROM session_summaries WHERE session_id = ?", user + "-17"))
                .startsWith("[sessionflow local model: extractive summary, not an LLM] Runs 1-5.")
                .contains("- message 1 of session 17").contains("- live 2.");
    }

    @Test
    void shouldFinishAJobAfterItsGatewayAndWorkersAreStoppedAndStartedAgain() {
        String user = "rp-restart-" + UUID.randomUUID().toString().substring(0, 8);
        seed(pipeline.database, user, 2_000);
        Map<String, String> env = new HashMap<>(pipeline.env);
        env.put("SESSIONFLOW_TOPIC_PREFIX", "restart.");
        env.put("SESSIONFLOW_REPROCESS_RATE", "400");
        env.put("SESSIONFLOW_SHUTDOWN_GRACE_SECONDS", "0");

        String jobId;
        Pipeline first = start(env);
        try {
            GatewayClient client = new GatewayClient(first.startGateway().url(), TestPipeline.ADMIN_KEY);
            jobId = client.post("/v1/reprocess", "{\"kind\": \"summaries\", \"filter\": {\"user_id\": \"" + user + "\"}}")
                    .body().path("job_id").asText();
            Eventually.await("a quarter of the job is done", Duration.ofSeconds(60),
                    () -> client.get("/v1/reprocess/" + jobId).body().path("done").asInt() >= 500);
        } finally {
            first.close();
        }
        JsonNode midway = pipeline.client.get("/v1/reprocess/" + jobId).body();
        assertThat(midway.path("status").asText()).isEqualTo("running");
        assertThat(midway.path("done").asInt()).isLessThan(2_000);

        try (Pipeline second = start(env)) {
            GatewayClient client = new GatewayClient(second.startGateway().url(), TestPipeline.ADMIN_KEY);
            Eventually.await("the job completes after the restart", Duration.ofSeconds(120),
                    () -> "completed".equals(client.get("/v1/reprocess/" + jobId).body().path("status").asText()));
        }
        assertThat(rows.count("SELECT count(*) FROM reprocess_items WHERE job_id = ? AND status = 'done'", jobId)).isEqualTo(2_000);
        assertThat(rows.count("SELECT count(*) FROM session_summaries s JOIN sessions USING (session_id) "
                + "WHERE user_id = ? AND prompt_version = 'summary-v1'", user)).isEqualTo(2_000);
    }

    @Test
    void shouldStopPublishingWhenCancelledAndRefuseUserKeysAndBadFilters() {
        String user = "rp-cancel-" + UUID.randomUUID().toString().substring(0, 8);
        seed(pipeline.database, user, 50);
        String jobId = pipeline.client.post("/v1/reprocess", "{\"kind\": \"both\", \"filter\": {\"user_id\": \"" + user + "\"}}")
                .body().path("job_id").asText();
        JsonNode cancelled = pipeline.client.post("/v1/reprocess/" + jobId + "/cancel", "").body();
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("total").asInt()).isEqualTo(50); // 'summarized' keeps a summary, not a context

        GatewayClient alice = pipeline.client.withKey(TestPipeline.keyFor("alice"));
        assertThat(alice.post("/v1/reprocess", "{\"kind\": \"summaries\"}").status()).isEqualTo(403);
        assertThat(pipeline.client.post("/v1/reprocess", "{\"kind\": \"everything\"}").body().path("error").path("field").asText()).isEqualTo("kind");
        assertThat(pipeline.client.post("/v1/reprocess", "{\"kind\": \"context\", \"filter\": {\"colour\": 1}}").body()
                .path("error").path("field").asText()).isEqualTo("filter.colour");
        assertThat(pipeline.client.post("/v1/reprocess", "{\"kind\": \"context\", \"filter\": {\"created_from\": \"monday\"}}").body()
                .path("error").path("field").asText()).isEqualTo("filter.created_from");
        assertThat(pipeline.client.get("/v1/reprocess/no-such-job").status()).isEqualTo(404);
    }

    @Test
    void shouldFollowAJobFromTheCommandLineUntilItEnds() {
        String user = "rp-cli-" + UUID.randomUUID().toString().substring(0, 8);
        seed(pipeline.database, user, 30);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = new Cli(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                Map.of("SESSIONFLOW_URL", pipeline.gateway.url(), "SESSIONFLOW_API_KEY", TestPipeline.ADMIN_KEY))
                .main(new String[] {"reprocess", "summaries", "--user", user});

        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).contains("[##############################] 30/30  0 failed").containsPattern("job [0-9a-f-]{36} completed");
        assertThat(rows.count("SELECT count(*) FROM session_summaries s JOIN sessions USING (session_id) "
                + "WHERE user_id = ? AND prompt_version = 'summary-v1'", user)).isEqualTo(30);
    }

    private static Pipeline start(Map<String, String> env) {
        Pipeline pipeline = Pipeline.open(new Env(env), ModelCatalog.fixed(new io.sessionflow.model.LocalModel()));
        pipeline.startSummarizer();
        return pipeline;
    }

    /** Sessions of one user, each with two completed runs and a summary from an old prompt. */
    static void seed(Database database, String user, int sessions) {
        database.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO sessions (session_id, session_type, user_id, component_id, run_count, version)
                    SELECT ? || '-' || g, 'agent', ?, 'summarized', 2, 2 FROM generate_series(1, ?) g""")) {
                insert.setString(1, user);
                insert.setString(2, user);
                insert.setInt(3, sessions);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO runs (run_id, session_id, run_index, user_id, component_type, component_id, status, input, content,
                                      messages, model, completed_at)
                    SELECT ? || '-' || g || '-' || i, ? || '-' || g, i, ?, 'agent', 'summarized', 'completed',
                           jsonb_build_object('message', 'message ' || i || ' of session ' || g || '.'), 'answer ' || i, '[]', 'local', now()
                      FROM generate_series(1, ?) g, generate_series(1, 2) i""")) {
                insert.setString(1, user);
                insert.setString(2, user);
                insert.setString(3, user);
                insert.setInt(4, sessions);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO session_summaries (session_id, summary, topics, up_to_run_index, prompt_version, model)
                    SELECT ? || '-' || g, 'old summary', '[]', 2, 'old-v0', 'local' FROM generate_series(1, ?) g""")) {
                insert.setString(1, user);
                insert.setInt(2, sessions);
                insert.executeUpdate();
            }
            return null;
        });
    }

}
