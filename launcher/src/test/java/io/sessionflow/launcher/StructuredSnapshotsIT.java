package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.launcher.FakeOpenAi.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Summaries and contexts from a language model's structured output, through the real OpenAI client
 * against a scripted OpenAI-compatible server, on the real broker and Postgres. Runs on its own
 * topics (prefix "llm.") so its workers do not share groups with the local-model pipeline.
 */
@PipelineIT
class StructuredSnapshotsIT {

    private static FakeOpenAi openAi;
    private static Pipeline pipeline;
    private static GatewayClient client;
    private static Rows rows;

    @BeforeAll
    static void start(TestPipeline shared) throws Exception {
        openAi = new FakeOpenAi();
        Map<String, String> env = new HashMap<>(shared.env);
        env.put("SESSIONFLOW_TOPIC_PREFIX", "llm.");
        env.put("SESSIONFLOW_COMPONENTS", TestPipeline.resource("llm-components.yaml").toString());
        env.put("OPENAI_BASE_URL", openAi.baseUrl());
        env.put("OPENAI_API_KEY", "sk-test");
        env.put("OPENAI_MAX_RETRIES", "0");
        env.put("SESSIONFLOW_SUMMARY_EVERY_RUNS", "1");
        env.put("SESSIONFLOW_CONTEXT_EVERY_RUNS", "1");
        env.put("SESSIONFLOW_SUMMARY_MAX_ATTEMPTS", "3");
        pipeline = Pipeline.open(new Env(env));
        pipeline.startRunWorker();
        pipeline.startSummarizer();
        pipeline.startContextWorker();
        Gateway gateway = pipeline.startGateway();
        client = new GatewayClient(gateway.url(), TestPipeline.ADMIN_KEY);
        rows = new Rows(shared.database);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        openAi.close();
    }

    @Test
    void shouldSummarizeIncrementallyAndKeepTheSummaryWhenTheModelMisbehaves() {
        String session = SessionSemanticsIT.newId("llm-summary");
        openAi.script("session_summary", Reply.content("{\"summary\": \"S1: the user likes tea.\", \"topics\": [\"tea\"]}"));
        run("llm-summarized", session, "I like tea.");
        awaitSummary(session, 1);
        assertThat(openAi.userPrompt("session_summary", 0)).contains("There is no previous summary").contains("<run index=\"1\">")
                .contains("User: I like tea.").contains("Assistant: fake model answer");
        assertThat(openAi.requests("session_summary").get(0).path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();

        // A server error, output that is not JSON, and JSON that breaks the schema: three tries, then skipped.
        openAi.script("session_summary", Reply.error(500), Reply.content("not json at all"), Reply.content("{\"summary\": 42, \"topics\": []}"));
        run("llm-summarized", session, "I also like green tea.");
        Eventually.await("three attempts at the second summary", Duration.ofSeconds(30), () -> openAi.requests("session_summary").size() == 4);
        assertThat(rows.text("SELECT summary FROM session_summaries WHERE session_id = ?", session)).isEqualTo("S1: the user likes tea.");
        assertThat(rows.count("SELECT up_to_run_index FROM session_summaries WHERE session_id = ?", session)).isEqualTo(1);

        openAi.script("session_summary", Reply.content("{\"summary\": \"S3: tea, green tea, and Kyoto.\", \"topics\": [\"tea\", \"travel\"]}"));
        run("llm-summarized", session, "I am going to Kyoto.");
        awaitSummary(session, 3);
        String incremental = openAi.userPrompt("session_summary", 4);
        assertThat(incremental).contains("<previous_summary>\nS1: the user likes tea.\n</previous_summary>")
                .contains("covers runs 1 to 1")
                .contains("<run index=\"2\">").contains("<run index=\"3\">")
                .doesNotContain("<run index=\"1\">");
        assertThat(rows.text("SELECT model || ' ' || prompt_version FROM session_summaries WHERE session_id = ?", session))
                .isEqualTo("openai:fake-model summary-v1");
        assertThat(rows.text("SELECT topics::text FROM session_summaries WHERE session_id = ?", session)).isEqualTo("[\"tea\", \"travel\"]");
    }

    @Test
    void shouldKeepGoalAndPlanWhenTheModelLeavesThemOut() {
        String session = SessionSemanticsIT.newId("llm-plan");
        openAi.script("session_context", Reply.content(
                "{\"summary\": \"C1\", \"goal\": \"Deploy the app\", \"plan\": [\"Build\", \"Ship\"], \"progress\": []}"));
        run("llm-planner", session, "Help me deploy a Python app to production. Give me the steps.");
        awaitContext(session, 1);
        assertThat(openAi.requests("session_context").get(0).path("response_format").path("json_schema").path("schema")
                .path("required")).hasSize(4);

        openAi.script("session_context", Reply.content("{\"summary\": \"C2\", \"goal\": null, \"plan\": null, \"progress\": [\"Build\"]}"));
        run("llm-planner", session, "Done with step 1. What's next?");
        awaitContext(session, 2);

        assertThat(rows.text("SELECT summary || ' | ' || goal || ' | ' || plan::text || ' | ' || progress::text FROM session_contexts WHERE session_id = ?", session))
                .isEqualTo("C2 | Deploy the app | [\"Build\", \"Ship\"] | [\"Build\"]");
        assertThat(openAi.userPrompt("session_context", 1)).contains("\"goal\" : \"Deploy the app\"")
                .contains("Assistant: fake model answer").contains("<run index=\"2\">").doesNotContain("<run index=\"1\">");
    }

    private static void run(String agent, String session, String message) {
        GatewayClient.Response response = client.run("agents", agent, SessionSemanticsIT.body("user_1", session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        assertThat(response.body().path("content").asText()).isEqualTo("fake model answer");
    }

    private static void awaitSummary(String session, int runIndex) {
        Eventually.await("summary covers run " + runIndex, Duration.ofSeconds(30), () -> rows.count(
                "SELECT count(*) FROM session_summaries WHERE session_id = ? AND up_to_run_index >= ?", session, runIndex) == 1);
    }

    private static void awaitContext(String session, int runIndex) {
        Eventually.await("context covers run " + runIndex, Duration.ofSeconds(30), () -> rows.count(
                "SELECT count(*) FROM session_contexts WHERE session_id = ? AND up_to_run_index >= ?", session, runIndex) == 1);
    }
}
