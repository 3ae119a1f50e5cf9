package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.json.Json;
import io.sessionflow.outbound.RequestSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tools on the real broker and Postgres: agentic state, a signed HTTP tool, and at most one execution per tool call. */
@PipelineIT
class ToolsIT {

    /**
     * The port of the {@code cashier} component's tool URL in test-components.yaml.
     * Below every OS's ephemeral range (Linux from 32768, macOS and Windows from 49152): a port in it can be
     * taken by any outgoing connection of the test JVM, and the server then cannot bind.
     */
    private static final int TOOL_PORT = 17613;

    private final TestPipeline pipeline;
    private final Rows rows;

    ToolsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }
    private HttpServer toolServer;
    /** Each charge_card call the tool server received: its body, whether its signature held, its call id. */
    private final Map<String, List<Map<String, String>>> charges = new ConcurrentHashMap<>();
    /** Runs before the tool answers, with the request's body (a test's way to act in the middle of a run). */
    private volatile Consumer<String> duringCall = body -> { };

    @BeforeEach
    void startToolServer() throws IOException {
        toolServer = HttpServer.create(new InetSocketAddress("127.0.0.1", TOOL_PORT), 0);
        toolServer.createContext("/charge_card", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            String timestamp = exchange.getRequestHeaders().getFirst("X-Sessionflow-Timestamp");
            boolean valid = RequestSignature.sign(TestPipeline.WEBHOOK_SECRET, timestamp, body)
                    .equals(exchange.getRequestHeaders().getFirst("X-Sessionflow-Signature"));
            String runId = exchange.getRequestHeaders().getFirst("X-Sessionflow-Run-Id");
            charges.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(Map.of("body", text, "valid", Boolean.toString(valid),
                    "call_id", exchange.getRequestHeaders().getFirst("X-Sessionflow-Tool-Call-Id")));
            duringCall.accept(text);
            byte[] answer = ("charged " + Json.parse(text).path("cents").asInt() + " cents").getBytes(StandardCharsets.UTF_8);
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

    private JsonNode run(String component, String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", component, SessionSemanticsIT.body("user_1", session, message, null));
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body().path("status").asText()).as("%s", response.body()).isEqualTo("completed");
        return response.body();
    }

    private JsonNode storedState(String session) {
        return Json.parse(rows.text("SELECT session_state::text FROM sessions WHERE session_id = ?", session));
    }

    /** Agno's shopping-list example: the model adds and removes items with update_session_state; the list is kept in Postgres. */
    @Test
    void shouldAddRemoveAndListShoppingItemsWithAgenticState() {
        String session = SessionSemanticsIT.newId("shopping");

        JsonNode added = run("agentic-shopper", session,
                "/tool update_session_state {\"session_state_updates\": {\"shopping_list\": [\"milk\", \"eggs\", \"bread\"]}}");
        assertThat(storedState(session).path("shopping_list")).isEqualTo(Json.parse("[\"milk\", \"eggs\", \"bread\"]"));
        assertThat(added.path("content").asText()).contains("update_session_state returned");

        run("agentic-shopper", session, "/tool update_session_state {\"session_state_updates\": {\"shopping_list\": [\"milk\", \"bread\"]}}");
        assertThat(storedState(session).path("shopping_list")).isEqualTo(Json.parse("[\"milk\", \"bread\"]"));

        String listed = run("agentic-shopper", session, "What is on my list?").path("content").asText();
        assertThat(listed).contains("\"milk\"", "\"bread\"").doesNotContain("eggs");
        assertThat(storedState(session).path("shopping_list")).as("a plain message leaves the state alone")
                .isEqualTo(Json.parse("[\"milk\", \"bread\"]"));

        JsonNode messages = pipeline.client.get("/v1/runs/" + added.path("run_id").asText()).body().path("messages");
        assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(messages.get(1).path("tool_calls").get(0).path("name").asText()).isEqualTo("update_session_state");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo(messages.get(1).path("tool_calls").get(0).path("id").asText());
    }

    @Test
    void shouldCallAnHttpToolWithASignedRequestAndFeedItsAnswerBack() {
        String session = SessionSemanticsIT.newId("cashier");

        JsonNode completed = run("cashier", session, "/tool charge_card {\"cents\": 500}");

        List<Map<String, String>> calls = charges.get(completed.path("run_id").asText());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("valid")).isEqualTo("true");
        assertThat(Json.parse(calls.get(0).get("body"))).isEqualTo(Json.parse("{\"cents\": 500}"));
        assertThat(completed.path("content").asText()).contains("charge_card returned \"charged 500 cents\"");
    }

    /**
     * agno#10366: a retried run re-executed a charge_card call that had already succeeded. Here the
     * session is changed while the card is being charged, so the run's commit is fenced and the run is
     * executed again: the recorded call is replayed, and the card is charged once.
     */
    @Test
    void shouldChargeTheCardOnceWhenTheRunIsExecutedAgainAfterTheToolRan() {
        String session = SessionSemanticsIT.newId("charge-once");
        duringCall = body -> pipeline.client.send("PATCH", "/v1/sessions/" + session, "{\"session_state\": {\"note\": \"changed mid-run\"}}");
        try {
            JsonNode completed = run("cashier", session, "/tool charge_card {\"cents\": 700}");

            String runId = completed.path("run_id").asText();
            assertThat(charges.get(runId)).as("charge_card calls").hasSize(1);
            assertThat(pipeline.model.callsFor("charged 700 cents")).as("the run was executed again after the charge").isEqualTo(2);
            assertThat(rows.count("SELECT count(*) FROM run_tool_calls WHERE run_id = ? AND status = 'completed'", runId)).isEqualTo(1);
            assertThat(storedState(session).path("note").asText()).isEqualTo("changed mid-run");
            assertThat(completed.path("content").asText()).contains("charge_card returned \"charged 700 cents\"");
        } finally {
            duringCall = body -> { };
        }
    }

    /** Several calls asked for at once are all recorded and all executed, each once, in order. */
    @Test
    void shouldExecuteEveryCallOfARoundWhenTheModelAsksForSeveralAtOnce() {
        String session = SessionSemanticsIT.newId("two-charges");

        JsonNode completed = run("cashier", session, "/tool charge_card {\"cents\": 100}\n/tool charge_card {\"cents\": 200}");

        String runId = completed.path("run_id").asText();
        assertThat(charges.get(runId)).extracting(call -> Json.parse(call.get("body")).path("cents").asInt()).containsExactly(100, 200);
        assertThat(rows.count("SELECT count(*) FROM run_tool_calls WHERE run_id = ? AND status = 'completed'", runId)).isEqualTo(2);
        assertThat(completed.path("content").asText()).contains("charged 100 cents").contains("charged 200 cents");
    }
}
