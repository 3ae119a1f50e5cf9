package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Idempotency, cancellation, fencing and concurrency on the shared pipeline (real broker and Postgres). */
@PipelineIT
class GuaranteesIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    GuaranteesIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldReturnTheSameRunForAResubmissionWithTheSameIdempotencyKey() {
        String session = SessionSemanticsIT.newId("idem");
        String message = "once only " + UUID.randomUUID();
        String body = Json.toText(SessionSemanticsIT.body("user_1", session, message, null));
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + session);

        GatewayClient.Response first = pipeline.client.send("POST", "/v1/agents/personal-assistant/runs", body, key);
        GatewayClient.Response again = pipeline.client.send("POST", "/v1/agents/personal-assistant/runs?wait=true", body, key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("run_id").asText()).isEqualTo(first.body().path("run_id").asText());
        assertThat(again.body().path("status").asText()).isEqualTo("completed");

        GatewayClient.Response different = pipeline.client.send("POST", "/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, "something else", null)), key);
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.body().path("error").path("code").asText()).isEqualTo("idempotency_conflict");

        // Another caller's identical key is another key.
        GatewayClient.Response alice = pipeline.client.withKey(TestPipeline.keyFor("alice")).send("POST",
                "/v1/agents/personal-assistant/runs", Json.toText(Json.object().put("message", "mine")), key);
        assertThat(alice.status()).isEqualTo(202);
        assertThat(alice.body().path("run_id").asText()).isNotEqualTo(first.body().path("run_id").asText());

        assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(pipeline.model.callsFor(message)).isEqualTo(1);
    }

    @Test
    void shouldCancelARunningRunAbortItsModelCallAndLeaveTheStateAlone() {
        String session = SessionSemanticsIT.newId("cancel");
        pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", session, "first", Json.object().put("a", 1)));
        String slow = "think hard sleep:20000 " + UUID.randomUUID();
        String runId = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, slow, Json.object().put("b", 2)))).body().path("run_id").asText();
        Eventually.await("the slow run starts", Duration.ofSeconds(30),
                () -> "running".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)));

        long start = System.nanoTime();
        GatewayClient.Response cancelled = pipeline.client.post("/v1/runs/" + runId + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        Eventually.await("the model call is aborted", Duration.ofSeconds(10), () -> pipeline.model.wasInterrupted(slow));
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);

        JsonNode event = failedEvent(runId);
        assertThat(event.path("status").asText()).isEqualTo("cancelled");
        assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("a", 1));
        assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)).isEqualTo("cancelled");
        assertThat(pipeline.client.post("/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(200);
        // The session goes on.
        assertThat(pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", session, "after", null))
                .body().path("run_index").asInt()).isEqualTo(2);
    }

    @Test
    void shouldSkipAQueuedRunThatWasCancelled() {
        String session = SessionSemanticsIT.newId("queued");
        String slow = "busy sleep:2000 " + UUID.randomUUID();
        String queued = "never run " + UUID.randomUUID();
        pipeline.client.post("/v1/agents/personal-assistant/runs", Json.toText(SessionSemanticsIT.body("user_1", session, slow, null)));
        String queuedId = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, queued, Json.object().put("x", 1)))).body().path("run_id").asText();
        assertThat(pipeline.client.post("/v1/runs/" + queuedId + "/cancel", "").body().path("status").asText()).isEqualTo("cancelled");

        assertThat(failedEvent(queuedId).path("status").asText()).isEqualTo("cancelled");
        Eventually.await("the slow run completes", Duration.ofSeconds(30),
                () -> rows.count("SELECT count(*) FROM runs WHERE session_id = ? AND status = 'completed'", session) == 1);
        assertThat(pipeline.model.callsFor(queued)).isZero();
        assertThat(rows.sessionState(session)).isEqualTo(Json.object());
        GatewayClient.Response tooLate = pipeline.client.post("/v1/runs/" + rows.text(
                "SELECT run_id FROM runs WHERE session_id = ? AND status = 'completed'", session) + "/cancel", "");
        assertThat(tooLate.status()).isEqualTo(409);
    }

    @Test
    void shouldKeepOtherSessionsFlowingWhileOneSessionsModelCallHangs() throws Exception {
        String hung = SessionSemanticsIT.newId("hung");
        String hangs = "hang sleep:60000 " + UUID.randomUUID();
        String hungRun = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", hung, hangs, null))).body().path("run_id").asText();
        Eventually.await("the hanging run starts", Duration.ofSeconds(30),
                () -> "running".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", hungRun)));

        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<GatewayClient.Response>> runs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String session = SessionSemanticsIT.newId("flowing");
                runs.add(CompletableFuture.supplyAsync(() -> pipeline.client.run("agents", "personal-assistant",
                        SessionSemanticsIT.body("user_1", session, "quick", null)), clients));
            }
            for (CompletableFuture<GatewayClient.Response> run : runs) {
                assertThat(run.get().body().path("status").asText()).isEqualTo("completed");
            }
        } finally {
            clients.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", hungRun)).isEqualTo("running");
        assertThat(seconds).isLessThan(30);
        pipeline.client.post("/v1/runs/" + hungRun + "/cancel", "");
    }

    @Test
    void shouldFenceOffACommitWhoseSessionMovedOnAndRunItAgainOnTheNewState() {
        String session = SessionSemanticsIT.newId("fence");
        pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", session, "start", Json.object().put("a", 1)));
        String slow = "slow write sleep:1500 " + UUID.randomUUID();
        String runId = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, slow, Json.object().put("from_run", true)))).body().path("run_id").asText();
        Eventually.await("the slow run starts", Duration.ofSeconds(30),
                () -> "running".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)));
        // While the model thinks, the session changes under it: the run's commit must not overwrite this.
        assertThat(pipeline.client.send("PATCH", "/v1/sessions/" + session, "{\"session_state\": {\"from_patch\": true}}").status()).isEqualTo(200);

        Eventually.await("the run completes", Duration.ofSeconds(30),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)));
        assertThat(rows.sessionState(session)).isEqualTo(Json.parse("{\"a\":1,\"from_patch\":true,\"from_run\":true}"));
        assertThat(pipeline.model.callsFor(slow)).isEqualTo(2); // the fenced attempt, then the one on the new state
    }

    @Test
    void shouldLandAHundredConcurrentRequestsOnOneSessionInKafkasOrderLosingNoUpdate() throws Exception {
        String session = SessionSemanticsIT.newId("hundred");
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<CompletableFuture<GatewayClient.Response>> posts = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                String body = Json.toText(SessionSemanticsIT.body("user_1", session, "concurrent " + i, Json.object().put("k" + i, i)));
                posts.add(CompletableFuture.supplyAsync(() -> pipeline.client.post("/v1/agents/personal-assistant/runs", body), clients));
            }
            for (CompletableFuture<GatewayClient.Response> post : posts) {
                assertThat(post.get().status()).isEqualTo(202);
            }
        } finally {
            clients.shutdown();
        }
        Eventually.await("100 completed runs", Duration.ofSeconds(60),
                () -> rows.count("SELECT count(*) FROM runs WHERE session_id = ? AND status = 'completed'", session) == 100);
        var requests = pipeline.kafka.topics().runsRequested();
        List<String> topicOrder = TopicReader.readUntil(pipeline.kafka, requests.name(), Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> session.equals(r.key())).count() == 100).stream()
                .filter(r -> session.equals(r.key())).map(r -> requests.deserialize(r.value()).runId()).toList();
        assertThat(rows.texts("SELECT run_id FROM runs WHERE session_id = ? ORDER BY run_index", session)).containsExactlyElementsOf(topicOrder);
        assertThat(rows.sessionState(session).size()).isEqualTo(100);
    }

    private JsonNode failedEvent(String runId) {
        return Json.parse(TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsFailed().name(), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(runId)))
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).filter(v -> v.contains(runId)).findFirst().orElseThrow());
    }
}
