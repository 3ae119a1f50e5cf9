package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.json.Json;
import io.sessionflow.launcher.FakeOpenAi.Reply;
import io.sessionflow.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, backpressure, a failing model and graceful shutdown. Each test runs its own services
 * on its own topics (prefix), against the shared broker and Postgres.
 */
@PipelineIT
class FaultsIT {

    private final TestPipeline shared;
    private final Rows rows;

    FaultsIT(TestPipeline shared) {
        this.shared = shared;
        this.rows = new Rows(shared.database);
    }

    @Test
    void shouldFailARunThatOutlivesItsTimeBudgetAndLeaveTheStateAlone() {
        try (Pipeline pipeline = open(Map.of("SESSIONFLOW_TOPIC_PREFIX", "timeout.", "SESSIONFLOW_RUN_TIMEOUT_SECONDS", "2"))) {
            pipeline.startRunWorker();
            GatewayClient client = client(pipeline.startGateway());
            String session = SessionSemanticsIT.newId("timeout");
            client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", session, "quick", Json.object().put("a", 1)));
            String slow = "endless sleep:30000 " + UUID.randomUUID();
            long start = System.nanoTime();
            JsonNode run = client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", session, slow, Json.object().put("b", 2))).body();

            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("error").asText()).isEqualTo("timed out after 2 s");
            assertThat((System.nanoTime() - start) / 1e9).isBetween(1.5, 10.0);
            assertThat(shared.model.wasInterrupted(slow)).isTrue();
            assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("a", 1));
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenTheBacklogIsFull() throws InterruptedException {
        long before = rows.count("SELECT count(*) FROM runs WHERE status IN ('pending', 'running')");
        // A gateway without workers: what it accepts stays pending.
        try (Pipeline pipeline = open(Map.of("SESSIONFLOW_TOPIC_PREFIX", "backlog.", "SESSIONFLOW_MAX_BACKLOG", Long.toString(before + 3)))) {
            GatewayClient client = client(pipeline.startGateway());
            String session = SessionSemanticsIT.newId("backlog");
            for (int i = 0; i < 3; i++) {
                assertThat(client.post("/v1/agents/personal-assistant/runs", Json.toText(SessionSemanticsIT.body("user_1", session, "m" + i, null)))
                        .status()).isEqualTo(202);
            }
            Thread.sleep(1000); // the backlog is counted four times a second
            long runs = rows.totalRuns();
            GatewayClient.Response refused = client.post("/v1/agents/personal-assistant/runs",
                    Json.toText(SessionSemanticsIT.body("user_1", session, "one too many", null)));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("backlog_full");
            assertThat(rows.totalRuns()).isEqualTo(runs);
            client.send("DELETE", "/v1/sessions/" + session, null);
        }
    }

    @Test
    void shouldRetryAModelThatAnswers429And500AndTimesOutThenFailCleanlyWhenItNeverRecovers() throws Exception {
        try (FakeOpenAi openAi = new FakeOpenAi();
             Pipeline pipeline = open(Map.of("SESSIONFLOW_TOPIC_PREFIX", "flaky.",
                     "SESSIONFLOW_COMPONENTS", TestPipeline.resource("llm-components.yaml").toString(),
                     "OPENAI_BASE_URL", openAi.baseUrl(), "OPENAI_MAX_RETRIES", "0", "OPENAI_TIMEOUT_SECONDS", "1",
                     "SESSIONFLOW_RUN_MAX_ATTEMPTS", "4"), false)) {
            pipeline.startRunWorker();
            GatewayClient client = client(pipeline.startGateway());
            String session = SessionSemanticsIT.newId("flaky");

            openAi.script(FakeOpenAi.CHAT, Reply.error(429, "1"), Reply.error(500), Reply.slow("{}", 3000));
            long start = System.nanoTime();
            JsonNode recovered = client.run("agents", "llm-planner", SessionSemanticsIT.body("user_1", session, "hello", Json.object().put("a", 1))).body();
            assertThat(recovered.path("status").asText()).isEqualTo("completed");
            assertThat(recovered.path("content").asText()).isEqualTo("fake model answer");
            assertThat(openAi.requests(FakeOpenAi.CHAT)).hasSize(4);
            assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(1.0); // Retry-After: 1 was honoured

            openAi.script(FakeOpenAi.CHAT, Reply.error(500), Reply.error(500), Reply.error(500), Reply.error(500));
            JsonNode failed = client.run("agents", "llm-planner", SessionSemanticsIT.body("user_1", session, "again", Json.object().put("b", 2))).body();
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("error").asText()).contains("is unavailable").endsWith("(after 4 attempts)");
            assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("a", 1));
            String runId = failed.path("run_id").asText();
            assertThat(TopicReader.readUntil(shared.kafka, "flaky.runs.failed", Duration.ofSeconds(30),
                    records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(runId)))).isNotEmpty();
        }
    }

    @Test
    void shouldFinishRunsInFlightOnShutdownHandBackTheRestAndRunNothingTwice() {
        Map<String, String> env = Map.of("SESSIONFLOW_TOPIC_PREFIX", "grace.", "SESSIONFLOW_SHUTDOWN_GRACE_SECONDS", "30");
        List<String> sessions = new ArrayList<>();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (Pipeline gatewayOnly = open(env)) {
            GatewayClient client = client(gatewayOnly.startGateway());
            for (int i = 0; i < 6; i++) {
                String session = SessionSemanticsIT.newId("grace");
                sessions.add(session);
                first.add("first sleep:1500 " + UUID.randomUUID());
                second.add("second " + UUID.randomUUID());
                client.post("/v1/agents/personal-assistant/runs", Json.toText(SessionSemanticsIT.body("user_1", session, first.get(i), null)));
                client.post("/v1/agents/personal-assistant/runs", Json.toText(SessionSemanticsIT.body("user_1", session, second.get(i), null)));
            }
            Pipeline workers = open(env);
            workers.startRunWorker();
            Eventually.await("the first runs are in flight", Duration.ofSeconds(30), () -> rows.count(
                    "SELECT count(*) FROM runs WHERE session_id = ANY (?) AND status = 'running'", (Object) sessions.toArray(String[]::new)) == 6);
            workers.close(); // SIGTERM's path: stop fetching, finish what runs, hand back the rest, commit

            assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ANY (?) AND status = 'completed'",
                    (Object) sessions.toArray(String[]::new))).isEqualTo(6);
            try (Pipeline next = open(env)) {
                next.startRunWorker();
                Eventually.await("every run completes", Duration.ofSeconds(60), () -> rows.count(
                        "SELECT count(*) FROM runs WHERE session_id = ANY (?) AND status = 'completed'", (Object) sessions.toArray(String[]::new)) == 12);
            }
        }
        for (int i = 0; i < 6; i++) {
            assertThat(shared.model.callsFor(first.get(i))).as("model calls for %s", first.get(i)).isEqualTo(1);
            assertThat(shared.model.callsFor(second.get(i))).as("model calls for %s", second.get(i)).isEqualTo(1);
            assertThat(rows.texts("SELECT input->>'message' FROM runs WHERE session_id = ? ORDER BY run_index", sessions.get(i)))
                    .containsExactly(first.get(i), second.get(i));
        }
    }

    private Pipeline open(Map<String, String> overrides) {
        return open(overrides, true);
    }

    /** @param countingModel use the shared counting local model (else the configured models) */
    private Pipeline open(Map<String, String> overrides, boolean countingModel) {
        Map<String, String> env = new HashMap<>(shared.env);
        env.putAll(overrides);
        return countingModel ? Pipeline.open(new Env(env), ModelCatalog.fixed(shared.model)) : Pipeline.open(new Env(env));
    }

    private static GatewayClient client(Gateway gateway) {
        return new GatewayClient(gateway.url(), TestPipeline.ADMIN_KEY);
    }
}
