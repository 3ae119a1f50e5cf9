package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.outbound.RequestSignature;
import io.sessionflow.runworker.RunWorkerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paused runs on the real broker and Postgres: an external tool's result sent over HTTP and over the
 * topic, an approval given and refused, a pause that times out, a paused run cancelled, and later runs
 * of the session held in order behind a paused run while another session goes on.
 */
@PipelineIT
class PausedRunsIT {

    /**
     * The port of the {@code concierge} component's pay_invoice URL in test-components.yaml.
     * Below every OS's ephemeral range (Linux from 32768, macOS and Windows from 49152): a port in it can be
     * taken by any outgoing connection of the test JVM, and the server then cannot bind.
     */
    private static final int TOOL_PORT = 17614;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String WEATHER = "/tool lookup_weather {\"city\": \"Oslo\"}";

    private final TestPipeline pipeline;
    private final Rows rows;
    private HttpServer toolServer;
    /** Each pay_invoice call the tool server received: its body, if its signature held. */
    private final List<String> payments = new CopyOnWriteArrayList<>();

    PausedRunsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @BeforeEach
    void startToolServer() throws IOException {
        toolServer = HttpServer.create(new InetSocketAddress("127.0.0.1", TOOL_PORT), 0);
        toolServer.createContext("/pay_invoice", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst("X-Sessionflow-Timestamp");
            if (RequestSignature.sign(TestPipeline.WEBHOOK_SECRET, timestamp, body)
                    .equals(exchange.getRequestHeaders().getFirst("X-Sessionflow-Signature"))) {
                payments.add(new String(body, StandardCharsets.UTF_8));
            }
            byte[] answer = ("paid " + Json.parse(new String(body, StandardCharsets.UTF_8)).path("cents").asInt() + " cents")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        toolServer.start();
    }

    @AfterEach
    void stopToolServer() {
        toolServer.stop(0);
    }

    /** Starts a run and waits until it finishes or pauses. */
    private JsonNode run(String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", "concierge", SessionSemanticsIT.body("user_1", session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    private JsonNode paused(String session, String message) {
        JsonNode run = run(session, message);
        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("paused");
        return run;
    }

    private GatewayClient.Response continueRun(String runId, String body) {
        return pipeline.client.post("/v1/runs/" + runId + "/continue?wait=true", body);
    }

    private JsonNode stored(String runId) {
        return pipeline.client.get("/v1/runs/" + runId).body();
    }

    private JsonNode awaitStatus(String runId, String status) {
        Eventually.await("run " + runId + " " + status, PATIENCE, () -> status.equals(stored(runId).path("status").asText()));
        return stored(runId);
    }

    private JsonNode state(String session) {
        return Json.parse(rows.text("SELECT session_state::text FROM sessions WHERE session_id = ?", session));
    }

    @Test
    void shouldPauseForAnExternalToolAndResumeWithTheResultSentOverHttp() {
        String session = SessionSemanticsIT.newId("external-http");

        JsonNode paused = paused(session, "/tool update_session_state {\"session_state_updates\": {\"asked\": \"weather\"}}\n" + WEATHER);

        String runId = paused.path("run_id").asText();
        JsonNode pending = paused.path("pending_tool_calls");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).path("tool_name").asText()).isEqualTo("lookup_weather");
        assertThat(pending.get(0).path("awaiting").asText()).isEqualTo("result");
        assertThat(Json.parse(pending.get(0).path("arguments").asText())).isEqualTo(Json.parse("{\"city\": \"Oslo\"}"));
        assertThat(stored(runId).path("pending_tool_calls")).isEqualTo(pending);
        assertThat(state(session).has("asked")).as("a paused run's state changes wait for its final commit").isFalse();
        String callId = pending.get(0).path("call_id").asText();
        List<JsonNode> announced = TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsPaused().name(), PATIENCE,
                records -> records.stream().anyMatch(r -> runId.equals(Json.parse(new String(r.value(), StandardCharsets.UTF_8))
                        .path("run_id").asText()))).stream().map(r -> Json.parse(new String(r.value(), StandardCharsets.UTF_8)))
                .filter(event -> runId.equals(event.path("run_id").asText())).toList();
        assertThat(announced.get(0).path("pending_tool_calls").get(0).path("call_id").asText()).isEqualTo(callId);

        GatewayClient.Response unknown = continueRun(runId, "{\"tool_results\": [{\"call_id\": \"no-such-call\", \"content\": \"x\"}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("error").path("field").asText()).isEqualTo("tool_results[0].call_id");
        GatewayClient.Response missing = continueRun(runId, "{\"approvals\": []}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("error").path("field").asText()).isEqualTo("tool_results");

        GatewayClient.Response continued = continueRun(runId, "{\"tool_results\": [{\"call_id\": \"" + callId + "\", \"content\": \"sunny, 21 C\"}]}");

        assertThat(continued.status()).as("%s", continued.body()).isEqualTo(200);
        assertThat(continued.body().path("status").asText()).isEqualTo("completed");
        assertThat(continued.body().path("content").asText()).contains("lookup_weather returned \"sunny, 21 C\"");
        assertThat(continued.body().path("messages")).extracting(m -> m.path("role").asText())
                .containsExactly("user", "assistant", "tool", "tool", "assistant");
        assertThat(state(session).path("asked").asText()).isEqualTo("weather");
        GatewayClient.Response again = continueRun(runId, "{\"tool_results\": [{\"call_id\": \"" + callId + "\", \"content\": \"rain\"}]}");
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void shouldResumeWithTheResultSentAsARecordOnTheTopic() throws Exception {
        String session = SessionSemanticsIT.newId("external-topic");
        JsonNode paused = paused(session, WEATHER);
        String runId = paused.path("run_id").asText();
        String callId = paused.path("pending_tool_calls").get(0).path("call_id").asText();

        Topic<RunContinuation> topic = pipeline.kafka.topics().runsContinuations();
        RunContinuation answer = new RunContinuation(RunContinuation.SCHEMA_VERSION, runId, session,
                List.of(new RunContinuation.ToolResult(callId, Json.MAPPER.valueToTree("snow, -3 C"))), List.of());
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("paused-runs-test")) {
            producer.send(new ProducerRecord<>(topic.name(), session, topic.serialize(answer))).get();
        }

        JsonNode completed = awaitStatus(runId, "completed");
        assertThat(completed.path("content").asText()).contains("lookup_weather returned \"snow, -3 C\"");
        assertThat(rows.text("SELECT result FROM run_tool_calls WHERE run_id = ? AND call_id = ?", runId, callId)).isEqualTo("snow, -3 C");
    }

    @Test
    void shouldExecuteAnApprovedCallOnceAndTellTheModelOfARejectedOne() {
        String approvedSession = SessionSemanticsIT.newId("approved");
        JsonNode approvedRun = paused(approvedSession, "/tool pay_invoice {\"cents\": 700}");
        String approvedId = approvedRun.path("run_id").asText();
        JsonNode call = approvedRun.path("pending_tool_calls").get(0);
        assertThat(call.path("awaiting").asText()).isEqualTo("approval");
        assertThat(payments).as("nothing is paid before the approval").isEmpty();

        GatewayClient.Response wrongKind = continueRun(approvedId,
                "{\"tool_results\": [{\"call_id\": \"" + call.path("call_id").asText() + "\", \"content\": \"paid\"}]}");
        assertThat(wrongKind.status()).isEqualTo(400);
        JsonNode approved = continueRun(approvedId, "{\"approvals\": [{\"call_id\": \"" + call.path("call_id").asText()
                + "\", \"approved\": true}]}").body();

        assertThat(approved.path("status").asText()).as("%s", approved).isEqualTo("completed");
        assertThat(approved.path("content").asText()).contains("pay_invoice returned \"paid 700 cents\"");
        assertThat(payments).containsExactly("{\"cents\":700}");

        String rejectedSession = SessionSemanticsIT.newId("rejected");
        JsonNode rejectedRun = paused(rejectedSession, "/tool pay_invoice {\"cents\": 900000}");
        JsonNode rejected = continueRun(rejectedRun.path("run_id").asText(), "{\"approvals\": [{\"call_id\": \""
                + rejectedRun.path("pending_tool_calls").get(0).path("call_id").asText()
                + "\", \"approved\": false, \"reason\": \"too expensive\"}]}").body();

        assertThat(rejected.path("status").asText()).as("%s", rejected).isEqualTo("completed");
        assertThat(rejected.path("content").asText()).contains("pay_invoice returned \"rejected by the user: too expensive\"");
        assertThat(payments).as("a rejected call is not executed").hasSize(1);
    }

    @Test
    void shouldFailAPausedRunWhosePauseTimesOut() {
        String session = SessionSemanticsIT.newId("pause-timeout");
        JsonNode paused = paused(session, "/tool update_session_state {\"session_state_updates\": {\"x\": 1}}\n" + WEATHER);
        String runId = paused.path("run_id").asText();
        assertThat(rows.count("SELECT extract(epoch FROM pause_expires_at - paused_at)::bigint FROM runs WHERE run_id = ?", runId))
                .as("the default pause timeout").isEqualTo(RunWorkerSettings.DEFAULT_PAUSE_TIMEOUT_SECONDS);

        // A day passes: the pause is moved a day back, not the clock forward.
        pipeline.database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE runs SET paused_at = paused_at - interval '1 day', pause_expires_at = pause_expires_at - interval '1 day'
                     WHERE run_id = ?""")) {
                update.setString(1, runId);
                return update.executeUpdate();
            }
        });

        JsonNode failed = awaitStatus(runId, "failed");
        assertThat(failed.path("error").asText()).contains("timed out after 86400 s paused", "pause timeout");
        assertThat(state(session).has("x")).as("a failed run changes no state").isFalse();
        assertThat(continueRun(runId, "{\"tool_results\": [{\"call_id\": \"local-call-2\", \"content\": \"late\"}]}").status()).isEqualTo(409);
        assertThat(run(session, "Anyone there?").path("status").asText()).as("the session goes on").isEqualTo("completed");
    }

    @Test
    void shouldCancelAPausedRunAndLetTheRunsBehindItGoOn() {
        String session = SessionSemanticsIT.newId("cancel-paused");
        String runId = paused(session, WEATHER).path("run_id").asText();
        String behind = pipeline.client.post("/v1/agents/concierge/runs", Json.toText(SessionSemanticsIT.body("user_1", session, "next", null)))
                .body().path("run_id").asText();

        GatewayClient.Response cancelled = pipeline.client.post("/v1/runs/" + runId + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(awaitStatus(behind, "completed").path("run_index").asInt()).isEqualTo(1);
        assertThat(continueRun(runId, "{\"tool_results\": [{\"call_id\": \"local-call-1\", \"content\": \"late\"}]}").status()).isEqualTo(409);
        assertThat(pipeline.client.post("/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(200);
    }

    @Test
    void shouldHoldLaterRunsOfTheSessionInOrderWhileOtherSessionsGoOn() throws InterruptedException {
        String session = SessionSemanticsIT.newId("held");
        String other = SessionSemanticsIT.newId("not-held");
        JsonNode paused = paused(session, "/tool update_session_state {\"session_state_updates\": {\"first\": true}}\n" + WEATHER);
        String first = paused.path("run_id").asText();
        List<String> later = new java.util.ArrayList<>();
        for (String message : List.of("second", "third")) {
            later.add(pipeline.client.post("/v1/agents/concierge/runs", Json.toText(SessionSemanticsIT.body("user_1", session, message, null)))
                    .body().path("run_id").asText());
        }

        JsonNode otherRun = run(other, "I am not held up");
        assertThat(otherRun.path("status").asText()).isEqualTo("completed");
        Eventually.await("the later runs parked", PATIENCE, () -> rows.count(
                "SELECT count(*) FROM runs WHERE session_id = ? AND parked_seq IS NOT NULL AND status = 'pending'", session) == 2);
        Thread.sleep(500);
        assertThat(later).allSatisfy(id -> assertThat(stored(id).path("status").asText()).isEqualTo("pending"));

        continueRun(first, "{\"tool_results\": [{\"call_id\": \"" + paused.path("pending_tool_calls").get(0).path("call_id").asText()
                + "\", \"content\": \"fog\"}]}");

        JsonNode third = awaitStatus(later.get(1), "completed");
        assertThat(stored(first).path("run_index").asInt()).isEqualTo(1);
        assertThat(stored(later.get(0)).path("run_index").asInt()).isEqualTo(2);
        assertThat(third.path("run_index").asInt()).isEqualTo(3);
        assertThat(Json.parse(rows.text("SELECT session_state::text FROM sessions WHERE session_id = ?", session)).path("first").asBoolean())
                .isTrue();
    }
}
