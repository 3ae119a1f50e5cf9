package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys, users and limits: nobody reads or changes a session that is not theirs, and bad requests change nothing. */
@PipelineIT
class AccessControlIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final GatewayClient alice;
    private final GatewayClient bob;

    AccessControlIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.alice = pipeline.client.withKey(TestPipeline.keyFor("alice"));
        this.bob = pipeline.client.withKey(TestPipeline.keyFor("bob"));
    }

    @Test
    void shouldRefuseRequestsWithoutAValidKey() {
        for (GatewayClient client : List.of(pipeline.client.withKey(null), pipeline.client.withKey("not-a-key"))) {
            GatewayClient.Response response = client.get("/v1/sessions");
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body().path("error").path("code").asText()).isEqualTo("unauthorized");
        }
        long runs = rows.totalRuns();
        assertThat(pipeline.client.withKey(null).post("/v1/agents/personal-assistant/runs", "{\"message\":\"hi\"}").status()).isEqualTo(401);
        assertThat(rows.totalRuns()).isEqualTo(runs);
        // Operations endpoints stay open.
        assertThat(pipeline.client.withKey(null).get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void shouldStampAUserKeysRunsWithItsUserAndRefuseAnotherUserId() {
        String session = SessionSemanticsIT.newId("alice");
        GatewayClient.Response run = alice.run("agents", "personal-assistant",
                Json.object().put("message", "hello").put("session_id", session));
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().path("user_id").asText()).isEqualTo("alice");
        assertThat(rows.text("SELECT user_id FROM sessions WHERE session_id = ?", session)).isEqualTo("alice");

        GatewayClient.Response impersonation = alice.run("agents", "personal-assistant",
                Json.object().put("message", "hello").put("user_id", "bob"));
        assertThat(impersonation.status()).isEqualTo(403);
        assertThat(impersonation.body().path("error").path("field").asText()).isEqualTo("user_id");
    }

    @Test
    void shouldKeepEachUsersSessionsAndRunsInvisibleToTheOtherByEveryRoute() {
        String session = SessionSemanticsIT.newId("private");
        JsonNode run = alice.run("agents", "personal-assistant", Json.object().put("message", "my secret")
                .put("session_id", session).set("session_state", Json.object().put("user_name", "Alice").put("age", 33))).body();
        String runId = run.path("run_id").asText();
        String before = snapshot(session);

        assertThat(bob.get("/v1/sessions").body().path("items").toString()).doesNotContain(session);
        assertThat(bob.get("/v1/sessions?user_id=alice").status()).isEqualTo(403);
        assertThat(bob.get("/v1/sessions/" + session).status()).isEqualTo(404);
        assertThat(bob.get("/v1/sessions/" + session + "/runs").status()).isEqualTo(404);
        assertThat(bob.get("/v1/runs/" + runId).status()).isEqualTo(404);
        assertThat(bob.send("PATCH", "/v1/sessions/" + session, "{\"session_name\": \"mine now\"}").status()).isEqualTo(404);
        assertThat(bob.send("DELETE", "/v1/sessions/" + session, null).status()).isEqualTo(404);
        GatewayClient.Response bulk = bob.send("DELETE", "/v1/sessions", "{\"session_ids\": [\"" + session + "\"]}");
        assertThat(bulk.body().path("deleted")).isEmpty();
        assertThat(bulk.body().path("not_found").get(0).asText()).isEqualTo(session);
        GatewayClient.Response intrusion = bob.run("agents", "personal-assistant", Json.object().put("message", "let me in").put("session_id", session));
        assertThat(intrusion.status()).isEqualTo(404);
        // The 404s are the same as for a session that does not exist at all.
        assertThat(bob.get("/v1/sessions/" + session).body().path("error").path("message").asText()).isEqualTo("session " + session + " not found");

        assertThat(snapshot(session)).isEqualTo(before);
        assertThat(alice.get("/v1/sessions/" + session).body().path("session_state")).isEqualTo(Json.object().put("user_name", "Alice").put("age", 33));
        assertThat(alice.get("/v1/sessions").body().path("items").toString()).contains(session);
        assertThat(alice.get("/v1/runs/" + runId).status()).isEqualTo(200);
    }

    @Test
    void shouldTreatSqlInjectionInFiltersAsPlainText() {
        long sessions = rows.totalSessions();
        for (String evil : List.of("' OR '1'='1", "'; DROP TABLE sessions; --", "%", "_", "\\\\", "%' OR session_name ILIKE '%")) {
            GatewayClient.Response response = pipeline.client.get("/v1/sessions?session_name=" + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(response.status()).as(evil).isEqualTo(200);
            assertThat(response.body().path("total").asLong()).as(evil).isZero();
        }
        assertThat(pipeline.client.get("/v1/sessions?user_id=%27%20OR%201%3D1").status()).isEqualTo(400);
        assertThat(pipeline.client.get("/v1/sessions?component_id=x%27%3B--").status()).isEqualTo(400);
        assertThat(rows.totalSessions()).isEqualTo(sessions);
    }

    @Test
    void shouldRejectInvalidParametersNamingTheFieldAndChangeNothing() {
        String session = SessionSemanticsIT.newId("limits");
        pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("limits", session, "hi", Json.object().put("a", 1)));
        String before = snapshot(session);
        long runs = rows.totalRuns();

        assertField(pipeline.client.get("/v1/sessions?page=0"), 400, "page");
        assertField(pipeline.client.get("/v1/sessions?limit=1000"), 400, "limit");
        assertField(pipeline.client.get("/v1/sessions?sort_by=session_name"), 400, "sort_by");
        assertField(pipeline.client.get("/v1/sessions?sort_order=up"), 400, "sort_order");
        assertField(pipeline.client.get("/v1/sessions?from=yesterday"), 400, "from");
        assertField(pipeline.client.get("/v1/sessions?from=2026-02-01&to=2026-01-01"), 400, "to");
        assertField(pipeline.client.get("/v1/sessions?session_type=robot"), 400, "session_type");
        assertField(pipeline.client.get("/v1/sessions?colour=blue"), 400, "colour");
        assertField(pipeline.client.get("/v1/sessions/" + session + "/runs?limit=-1"), 400, "limit");
        assertField(pipeline.client.send("PATCH", "/v1/sessions/" + session, "{\"session_state\": [1]}"), 400, "session_state");
        assertField(pipeline.client.send("PATCH", "/v1/sessions/" + session, "{\"state_mode\": \"replace\"}"), 400, "state_mode");
        assertField(pipeline.client.send("PATCH", "/v1/sessions/" + session, "{\"session_name\": \"" + "x".repeat(300) + "\"}"), 400, "session_name");
        assertField(pipeline.client.send("DELETE", "/v1/sessions", "{\"session_ids\": []}"), 400, "session_ids");
        assertField(pipeline.client.post("/v1/sessions", "{\"component_type\": \"agent\", \"component_id\": \"nobody\"}"), 400, "component_id");
        assertField(pipeline.client.post("/v1/agents/personal-assistant/runs", "{\"message\": \"" + "m".repeat(100_001) + "\"}"), 400, "message");

        GatewayClient.Response oversized = pipeline.client.post("/v1/agents/personal-assistant/runs",
                "{\"message\": \"hi\", \"session_state\": {\"blob\": \"" + "b".repeat(2 << 20) + "\"}}");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.body().path("error").path("code").asText()).isEqualTo("body_too_large");

        assertThat(snapshot(session)).isEqualTo(before);
        assertThat(rows.totalRuns()).isEqualTo(runs);
    }

    private static void assertField(GatewayClient.Response response, int status, String field) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.body().path("error").path("field").asText()).isEqualTo(field);
        assertThat(response.body().path("error").path("message").asText()).isNotBlank();
    }

    /** Everything stored about a session, to compare before and after. */
    private String snapshot(String session) {
        return rows.text("SELECT s::text FROM sessions s WHERE session_id = ?", session)
                + rows.texts("SELECT r::text FROM runs r WHERE session_id = ? ORDER BY run_id", session);
    }
}
