package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Agno's session documents promise, on our API: their list parameters, the session's messages. */
@PipelineIT
class SeedParityIT {

    private final TestPipeline pipeline;

    SeedParityIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Test
    void shouldFilterSessionsByAgnosUnixTimestampsTypeAndTheUpdatedRange() throws Exception {
        String user = SessionSemanticsIT.newId("agno-filters");
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        // s0..s3 created a day apart; updated in the reverse order; s3 is a team session.
        for (int i = 0; i < 4; i++) {
            String type = i == 3 ? "team" : "agent";
            String component = i == 3 ? "personal-team" : "personal-assistant";
            assertThat(pipeline.client.post("/v1/sessions", Json.toText(Json.object().put("session_id", user + "-s" + i)
                    .put("user_id", user).put("component_type", type).put("component_id", component))).status()).isEqualTo(201);
        }
        pipeline.database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE sessions SET created_at = ?, updated_at = ? WHERE session_id = ?")) {
                for (int i = 0; i < 4; i++) {
                    update.setTimestamp(1, Timestamp.from(day.plusSeconds(86_400L * i)));
                    update.setTimestamp(2, Timestamp.from(day.plusSeconds(86_400L * (10 - i))));
                    update.setString(3, user + "-s" + i);
                    update.addBatch();
                }
                return update.executeBatch();
            }
        });
        long start = day.plusSeconds(86_400).getEpochSecond();
        long end = day.plusSeconds(86_400 * 3).getEpochSecond();
        String base = "/v1/sessions?sort_order=asc&user_id=" + user;

        assertThat(ids(base + "&start_timestamp=" + start + "&end_timestamp=" + end)).containsExactly(user + "-s1", user + "-s2");
        assertThat(ids(base + "&start_timestamp=" + start)).containsExactly(user + "-s1", user + "-s2", user + "-s3");
        assertThat(ids(base + "&type=team")).containsExactly(user + "-s3");
        assertThat(ids(base + "&type=agent&from=2026-03-02")).containsExactly(user + "-s1", user + "-s2");
        // Updated between day 8 (inclusive) and day 10 (exclusive): s1 (day 9) and s2 (day 8).
        assertThat(ids(base + "&updated_from=2026-03-09&updated_to=2026-03-11")).containsExactly(user + "-s1", user + "-s2");
        assertThat(ids(base + "&updated_start_timestamp=" + day.plusSeconds(86_400 * 8).getEpochSecond()
                + "&updated_end_timestamp=" + day.plusSeconds(86_400 * 10).getEpochSecond())).containsExactly(user + "-s1", user + "-s2");
    }

    @Test
    void shouldRefuseTheSameFilterUnderBothNamesAndUnknownParameters() {
        assertThat(badRequestField("/v1/sessions?from=2026-03-01&start_timestamp=1")).isEqualTo("start_timestamp");
        assertThat(badRequestField("/v1/sessions?to=2026-03-01&end_timestamp=1")).isEqualTo("end_timestamp");
        assertThat(badRequestField("/v1/sessions?session_type=agent&type=agent")).isEqualTo("type");
        assertThat(badRequestField("/v1/sessions?updated_from=2026-03-01&updated_start_timestamp=1")).isEqualTo("updated_start_timestamp");
        assertThat(badRequestField("/v1/sessions?start_timestamp=yesterday")).isEqualTo("start_timestamp");
        assertThat(badRequestField("/v1/sessions?type=workflowish")).isEqualTo("type");
        assertThat(badRequestField("/v1/sessions?updated_from=2026-03-02&updated_to=2026-03-01")).isEqualTo("updated_to");
        assertThat(badRequestField("/v1/sessions?session_typ=agent")).isEqualTo("session_typ");
        assertThat(badRequestField("/v1/sessions?include=messages")).isEqualTo("include");
    }

    @Test
    void shouldReadTheConversationAsOrderedPagedMessagesOnlyByItsOwner() {
        String session = SessionSemanticsIT.newId("messages");
        for (int i = 1; i <= 3; i++) {
            GatewayClient.Response run = pipeline.client.run("agents", "chat-with-history",
                    SessionSemanticsIT.body("alice", session, "message " + i, null));
            assertThat(run.body().path("status").asText()).as("%s", run.body()).isEqualTo("completed");
        }

        JsonNode all = pipeline.client.get("/v1/sessions/" + session + "/messages").body();
        assertThat(all.path("total").asLong()).isEqualTo(6);
        List<String> roles = new ArrayList<>();
        all.path("items").forEach(m -> roles.add(m.path("role").asText()));
        assertThat(roles).containsExactly("user", "assistant", "user", "assistant", "user", "assistant");
        assertThat(all.path("items").get(0).path("content").asText()).isEqualTo("message 1");
        assertThat(all.path("items").get(4).path("content").asText()).isEqualTo("message 3");
        assertThat(all.path("items").get(5).path("run_index").asInt()).isEqualTo(3);
        assertThat(all.path("items").get(5).path("content").asText()).isNotBlank();

        JsonNode second = pipeline.client.get("/v1/sessions/" + session + "/messages?limit=4&page=2").body();
        assertThat(second.path("items")).hasSize(2);
        assertThat(second.path("items").get(0).path("content").asText()).isEqualTo("message 3");
        JsonNode newest = pipeline.client.get("/v1/sessions/" + session + "/messages?limit=1&sort_order=desc").body();
        assertThat(newest.path("items").get(0).path("role").asText()).isEqualTo("assistant");
        assertThat(newest.path("items").get(0).path("run_index").asInt()).isEqualTo(3);

        GatewayClient alice = pipeline.client.withKey(TestPipeline.keyFor("alice"));
        GatewayClient bob = pipeline.client.withKey(TestPipeline.keyFor("bob"));
        assertThat(alice.get("/v1/sessions/" + session + "/messages").body().path("total").asLong()).isEqualTo(6);
        assertThat(bob.get("/v1/sessions/" + session + "/messages").status()).isEqualTo(404);
        assertThat(pipeline.client.get("/v1/sessions/" + session + "/messages?cursor=x").status()).isEqualTo(400);
    }

    @Test
    void shouldCountEachListedSessionsMessagesWhenAsked() {
        String user = SessionSemanticsIT.newId("counts");
        String talked = user + "-talked";
        for (int i = 1; i <= 2; i++) {
            pipeline.client.run("agents", "chat-with-history", SessionSemanticsIT.body(user, talked, "hello " + i, null));
        }
        assertThat(pipeline.client.post("/v1/sessions", Json.toText(Json.object().put("session_id", user + "-quiet").put("user_id", user)
                .put("component_type", "agent").put("component_id", "personal-assistant"))).status()).isEqualTo(201);

        JsonNode page = pipeline.client.get("/v1/sessions?user_id=" + user + "&include=message_count&sort_order=asc").body();
        assertThat(page.path("items").get(0).path("session_id").asText()).isEqualTo(talked);
        assertThat(page.path("items").get(0).path("message_count").asLong()).isEqualTo(4);
        assertThat(page.path("items").get(1).path("message_count").asLong()).isZero();
        JsonNode plain = pipeline.client.get("/v1/sessions?user_id=" + user).body();
        assertThat(plain.path("items").get(0).has("message_count")).isFalse();
    }

    @Test
    void shouldSendOnlyTheRunsAfterTheSummarySoTheTokensSentStayBounded() {
        String instead = SessionSemanticsIT.newId("summary-instead");
        String beside = SessionSemanticsIT.newId("summary-beside");
        List<Long> insteadTokens = new ArrayList<>();
        List<Long> besideTokens = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String message = "Fact number " + i + " is that I collect blue teapots from Porto. Tell me more.";
            JsonNode withSummary = completedRun("summary-instead", instead, message);
            insteadTokens.add(withSummary.path("metrics").path("input_tokens").asLong());
            besideTokens.add(completedRun("summary-beside", beside, message).path("metrics").path("input_tokens").asLong());
            if (i > 1) {
                // The summary covers every earlier run, so there is no history left to send.
                assertThat(withSummary.path("content").asText()).contains("History: (none)").contains("<summary_of_previous_interactions>");
            }
            awaitSummaryCovering(instead, i);
            awaitSummaryCovering(beside, i);
        }
        System.out.println("FIGURE input tokens per run, summary beside the 3-run window: " + besideTokens
                + "; summary instead of the runs it covers: " + insteadTokens);
        // Beside: the window fills and the summary is added on top. Instead: the summary alone, a few lines.
        assertThat(besideTokens.get(5)).isGreaterThan(besideTokens.get(1));
        for (int i = 1; i < 6; i++) {
            assertThat(insteadTokens.get(i)).as("run %d", i + 1).isLessThan(besideTokens.get(i));
        }
        assertThat(insteadTokens.get(5)).isLessThan(besideTokens.get(5) / 2);

        // Runs the summary does not cover yet are still sent, up to the window: here runs 3 to 6 after a summary up to 2.
        pipeline.database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE session_summaries SET up_to_run_index = 2 WHERE session_id = ?")) {
                update.setString(1, instead);
                return update.executeUpdate();
            }
        });
        JsonNode behind = completedRun("summary-instead", instead, "And one more thing.");
        String history = behind.path("content").asText().substring(behind.path("content").asText().indexOf("History"));
        assertThat(history).startsWith("History (6 messages)").contains("Fact number 4").doesNotContain("Fact number 3");
    }

    private JsonNode completedRun(String agent, String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", agent, SessionSemanticsIT.body("u-summary", session, message, null));
        assertThat(response.body().path("status").asText()).as("%s", response.body()).isEqualTo("completed");
        return response.body();
    }

    private void awaitSummaryCovering(String session, int runIndex) {
        Eventually.await("summary of " + session + " covers run " + runIndex, java.time.Duration.ofSeconds(30), () -> pipeline.client
                .get("/v1/sessions/" + session).body().path("summary").path("up_to_run_index").asInt() >= runIndex);
    }

    private List<String> ids(String path) {
        GatewayClient.Response response = pipeline.client.get(path);
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.body().path("items").forEach(item -> ids.add(item.path("session_id").asText()));
        return ids;
    }

    private String badRequestField(String path) {
        GatewayClient.Response response = pipeline.client.get(path);
        assertThat(response.status()).as("%s: %s", path, response.body()).isEqualTo(400);
        return response.body().path("error").path("field").asText();
    }
}
