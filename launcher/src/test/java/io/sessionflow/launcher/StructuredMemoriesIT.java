package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.launcher.FakeOpenAi.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory extraction from a language model's structured output, through the real OpenAI client against
 * a scripted server: strict schema, and malformed output retried, then skipped with the memories intact.
 * Own topics (prefix "llm-mem.") so its workers share no group with the other pipelines.
 */
@PipelineIT
class StructuredMemoriesIT {

    private static FakeOpenAi openAi;
    private static Pipeline pipeline;
    private static GatewayClient client;
    private static Rows rows;
    private static io.sessionflow.store.Database sharedDatabase;

    @BeforeAll
    static void start(TestPipeline shared) throws Exception {
        sharedDatabase = shared.database;
        openAi = new FakeOpenAi();
        Map<String, String> env = new HashMap<>(shared.env);
        env.put("SESSIONFLOW_TOPIC_PREFIX", "llm-mem.");
        env.put("SESSIONFLOW_COMPONENTS", TestPipeline.resource("llm-components.yaml").toString());
        env.put("OPENAI_BASE_URL", openAi.baseUrl());
        env.put("OPENAI_API_KEY", "sk-test");
        env.put("OPENAI_MAX_RETRIES", "0");
        env.put("SESSIONFLOW_MEMORY_EVERY_RUNS", "1");
        env.put("SESSIONFLOW_MEMORY_MAX_ATTEMPTS", "3");
        pipeline = Pipeline.open(new Env(env));
        pipeline.startRunWorker();
        pipeline.startMemoryWorker();
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
    void shouldStoreTheModelsMemoriesAndKeepThemWhenItsOutputIsMalformed() {
        String user = SessionSemanticsIT.newId("llm-user");
        String session = SessionSemanticsIT.newId("llm-memory");
        openAi.script("user_memories", Reply.content("""
                {"operations": [{"op": "add", "memory_id": null, "memory": "User likes tea", "topics": ["drinks"], "run_index": 1}],
                 "profile": {"name": "Tess", "preferences": ["tea"], "facts": []}}"""));
        run(user, session, "I like tea.");
        Eventually.await("the first run's memories", Duration.ofSeconds(40), () -> progress(user, session) == 1);
        assertThat(memories(user)).containsExactly("User likes tea");
        assertThat(rows.text("SELECT profile->>'name' FROM user_profiles WHERE user_id = ?", user)).isEqualTo("Tess");
        assertThat(openAi.requests("user_memories").get(0).path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();

        // A server error, output that is not JSON, and JSON that breaks the schema: three tries, then skipped.
        openAi.script("user_memories", Reply.error(500), Reply.content("not json at all"), Reply.content("{\"operations\": 42, \"profile\": null}"));
        run(user, session, "Actually I prefer coffee.");
        Eventually.await("three attempts at the second extraction", Duration.ofSeconds(40), () -> openAi.requests("user_memories").size() == 4);
        assertThat(memories(user)).containsExactly("User likes tea");
        assertThat(progress(user, session)).as("the skipped run stays to be read again").isEqualTo(1);
        assertThat(rows.text("SELECT profile->>'name' FROM user_profiles WHERE user_id = ?", user)).isEqualTo("Tess");
    }

    private static void run(String user, String session, String message) {
        GatewayClient.Response response = client.run("agents", "llm-memory", SessionSemanticsIT.body(user, session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
    }

    private static long progress(String user, String session) {
        return rows.count("SELECT coalesce(max(up_to_run_index), 0) FROM user_memory_progress WHERE user_id = ? AND session_id = ?", user, session);
    }

    private static List<String> memories(String user) {
        return sharedDatabase.withConnection(c -> new io.sessionflow.store.memory.MemoryStore().recent(c, user, 100))
                .stream().map(io.sessionflow.store.memory.UserMemory::memory).toList();
    }
}
