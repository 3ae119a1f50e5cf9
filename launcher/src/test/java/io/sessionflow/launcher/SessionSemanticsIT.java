package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Agno's session semantics, through the real gateway, Kafka, run-worker and Postgres. */
@PipelineIT
class SessionSemanticsIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    SessionSemanticsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldLoadStoredStateOnARunThatPassesNone() {
        String session = newId("state");
        JsonNode first = run("agents", "personal-assistant", "user_1", session, "What is my name?",
                Json.object().put("user_name", "John").put("age", 30));
        JsonNode second = run("agents", "personal-assistant", "user_1", session, "How old am I?", null);

        assertThat(first.path("content").asText()).contains("System message: \"Users name is John and age is 30\"");
        assertThat(second.path("content").asText()).contains("System message: \"Users name is John and age is 30\"");
        assertThat(second.path("run_index").asInt()).isEqualTo(2);
        assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("user_name", "John").put("age", 30));
    }

    @Test
    void shouldMergeTheRunArgumentRecursivelyWithTheRunWinning() {
        String session = newId("merge");
        ObjectNode initial = (ObjectNode) Json.parse("{\"user_name\":\"John\",\"age\":30,\"prefs\":{\"color\":\"blue\",\"food\":\"pizza\"}}");
        run("agents", "personal-assistant", "user_1", session, "hello", initial);
        JsonNode second = run("agents", "personal-assistant", "user_1", session, "update",
                (ObjectNode) Json.parse("{\"age\":31,\"prefs\":{\"color\":\"red\"}}"));

        assertThat(second.path("content").asText()).contains("Users name is John and age is 31");
        assertThat(rows.sessionState(session)).isEqualTo(Json.parse(
                "{\"user_name\":\"John\",\"age\":31,\"prefs\":{\"color\":\"red\",\"food\":\"pizza\"}}"));
    }

    @Test
    void shouldReplaceTheStoredStateWhenOverwriteIsSet() {
        String session = newId("overwrite");
        run("agents", "personal-assistant", "user_1", session, "hello", Json.object().put("user_name", "John").put("age", 30));
        ObjectNode body = body("user_1", session, "replace", Json.object().put("user_name", "Johnny"));
        body.put("overwrite_session_state", true);
        JsonNode replaced = pipeline.client.run("agents", "personal-assistant", body).body();

        assertThat(replaced.path("content").asText()).contains("Users name is Johnny and age is {age}");
        assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("user_name", "Johnny"));
    }

    @Test
    void shouldKeepUnknownPlaceholdersAsWritten() {
        String session = newId("placeholders");
        JsonNode run = run("agents", "personal-assistant", "user_1", session, "hi {user_name}, {nobody} here",
                Json.object().put("user_name", "Ann"));

        assertThat(run.path("content").asText())
                .contains("System message: \"Users name is Ann and age is {age}\"")
                .contains("Your message: \"hi Ann, {nobody} here\"");
    }

    @Test
    void shouldCopyTheComponentDefaultStateOnlyWhenTheSessionIsCreated() {
        String session = newId("default");
        JsonNode first = run("agents", "shopper", "user_9", session, "start", null);
        assertThat(first.path("content").asText()).contains("<session_state>").contains("corner-shop").contains("Shopping for user_9.");
        assertThat(rows.sessionState(session)).isEqualTo(Json.parse("{\"shopping_list\":[],\"preferences\":{\"store\":\"corner-shop\"}}"));

        run("agents", "shopper", "user_9", session, "add milk", (ObjectNode) Json.parse("{\"shopping_list\":[\"milk\"],\"preferences\":{\"store\":\"market\"}}"));
        run("agents", "shopper", "user_9", session, "what is on my list?", null);

        // The default never comes back once the session exists: the stored state is what the runs made it.
        assertThat(rows.sessionState(session)).isEqualTo(Json.parse("{\"shopping_list\":[\"milk\"],\"preferences\":{\"store\":\"market\"}}"));
    }

    @Test
    void shouldPutOnlyTheLastRunsOfTheWindowInTheHistory() {
        String session = newId("window");
        for (int i = 1; i <= 3; i++) {
            run("agents", "two-run-window", "user_1", session, "message number " + i, null);
        }
        String fourth = run("agents", "two-run-window", "user_1", session, "message number 4", null).path("content").asText();

        // History lines are indented by two spaces; earlier answers quoted inside them are not.
        assertThat(fourth).contains("History (4 messages):")
                .contains("\n  user: \"message number 2\"")
                .contains("\n  user: \"message number 3\"")
                .doesNotContain("\n  user: \"message number 1\"");
        assertThat(fourth).doesNotContain("system:");
    }

    @Test
    void shouldPutOnlyTheLastMessagesInTheHistoryWhenCountedByMessages() {
        String session = newId("messages");
        run("agents", "three-message-window", "user_1", session, "first", null);
        run("agents", "three-message-window", "user_1", session, "second", null);
        String third = run("agents", "three-message-window", "user_1", session, "third", null).path("content").asText();

        // Three messages: the first run's answer, then the second run's question and answer.
        assertThat(third).contains("History (3 messages):\n  assistant: \"Your message: \"first\"")
                .contains("\n  user: \"second\"")
                .doesNotContain("\n  user: \"first\"");
    }

    @Test
    void shouldLeaveHistoryOutWhenTheComponentDoesNotAskForIt() {
        String session = newId("nohistory");
        run("agents", "personal-assistant", "user_1", session, "one", Json.object().put("user_name", "A").put("age", 1));
        String second = run("agents", "personal-assistant", "user_1", session, "two", null).path("content").asText();
        assertThat(second).contains("History: (none)");
    }

    @Test
    void shouldKeepTwoUsersAndTheirSessionsApart() {
        String johnSession = newId("john");
        String janeSession = newId("jane");
        run("agents", "personal-assistant", "user_1", johnSession, "What is my name?", Json.object().put("user_name", "John").put("age", 30));
        run("agents", "personal-assistant", "user_2", janeSession, "What is my name?", Json.object().put("user_name", "Jane").put("age", 25));

        assertThat(run("agents", "personal-assistant", "user_1", johnSession, "How old am I?", null).path("content").asText())
                .contains("Users name is John and age is 30");
        assertThat(run("agents", "personal-assistant", "user_2", janeSession, "How old am I?", null).path("content").asText())
                .contains("Users name is Jane and age is 25");

        long runsBefore = rows.totalRuns();
        GatewayClient.Response intrusion = pipeline.client.run("agents", "personal-assistant", body("user_2", johnSession, "Whose session is this?", null));
        assertThat(intrusion.status()).isEqualTo(404);
        assertThat(intrusion.body().path("error").path("message").asText()).isEqualTo("session " + johnSession + " not found");
        assertThat(rows.totalRuns()).isEqualTo(runsBefore);
        assertThat(rows.sessionState(johnSession)).isEqualTo(Json.object().put("user_name", "John").put("age", 30));
    }

    @Test
    void shouldTypeTeamSessionsAsTeamAndKeepTheirState() {
        String session = newId("team");
        run("teams", "personal-team", "user_1", session, "What is my name?", Json.object().put("user_name", "John").put("age", 30));
        JsonNode second = run("teams", "personal-team", "user_1", session, "How old am I?", null);

        assertThat(second.path("component_type").asText()).isEqualTo("team");
        assertThat(second.path("content").asText()).contains("Users name is John and age is 30");
        assertThat(rows.text("SELECT session_type FROM sessions WHERE session_id = ?", session)).isEqualTo("team");

        GatewayClient.Response asAgent = pipeline.client.run("agents", "personal-assistant", body("user_1", session, "hi", null));
        assertThat(asAgent.status()).isEqualTo(409);
        assertThat(asAgent.body().path("error").path("field").asText()).isEqualTo("session_id");
    }

    @Test
    void shouldStoreMemberRunsUnderTheTeamSessionWithTheTeamRunAsParent() {
        String session = newId("members");
        JsonNode run = run("teams", "editorial-team", "user_1", session, "Write about Kafka", Json.object().put("user_name", "Ann"));

        String content = run.path("content").asText();
        assertThat(content).contains("Lead editor for Ann.").contains("<member id=\"researcher\">").contains("You research for Ann.")
                .contains("<member id=\"writer\">");
        assertThat(rows.texts("SELECT component_id FROM runs WHERE parent_run_id = ? ORDER BY component_id", run.path("run_id").asText()))
                .containsExactly("researcher", "writer");
        assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ? AND run_index IS NOT NULL", session)).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE component_id IN ('researcher', 'writer')")).isZero();
    }

    @Test
    void shouldAnswer202AndServeTheRunOnceItCompletes() {
        String session = newId("async");
        GatewayClient.Response accepted = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(body("user_1", session, "later", Json.object().put("user_name", "Bo").put("age", 3))));
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("status").asText()).isEqualTo("pending");
        assertThat(accepted.body().path("session_id").asText()).isEqualTo(session);
        String runId = accepted.body().path("run_id").asText();

        Eventually.await("run " + runId + " completes", Duration.ofSeconds(30),
                () -> "completed".equals(pipeline.client.get("/v1/runs/" + runId).body().path("status").asText()));
        JsonNode run = pipeline.client.get("/v1/runs/" + runId).body();
        assertThat(run.path("content").asText()).contains("Users name is Bo and age is 3");
        assertThat(run.path("metrics").path("output_tokens").asLong()).isPositive();
    }

    @Test
    void shouldGiveARunWithoutSessionIdANewSession() {
        GatewayClient.Response response = pipeline.client.run("agents", "personal-assistant",
                Json.object().put("message", "hello").put("user_id", "user_1"));
        assertThat(response.status()).isEqualTo(200);
        String session = response.body().path("session_id").asText();
        assertThat(UUID.fromString(session)).isNotNull();
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE session_id = ?", session)).isEqualTo(1);
    }

    private JsonNode run(String kind, String component, String user, String session, String message, ObjectNode state) {
        GatewayClient.Response response = pipeline.client.run(kind, component, body(user, session, message, state));
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body().path("status").asText()).isEqualTo("completed");
        return response.body();
    }

    static ObjectNode body(String user, String session, String message, ObjectNode state) {
        ObjectNode body = Json.object().put("message", message).put("user_id", user).put("session_id", session);
        if (state != null) {
            body.set("session_state", state);
        }
        return body;
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
