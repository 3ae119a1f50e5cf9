package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.memory.UserMemory;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch reprocessing of memories on the real broker and Postgres: a user's memories and profile rebuilt from the history. */
@PipelineIT
class MemoriesReprocessIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final MemoryStore memories = new MemoryStore();

    MemoriesReprocessIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    private String run(String user, String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", "memory-assistant", SessionSemanticsIT.body(user, session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body().path("run_id").asText();
    }

    private List<UserMemory> memoriesOf(String user) {
        return pipeline.database.withConnection(c -> memories.recent(c, user, 100));
    }

    private void awaitProgress(String user, String session, int runIndex) {
        Eventually.await("memories of " + user + " cover run " + runIndex + " of " + session, Duration.ofSeconds(40), () -> rows.count(
                "SELECT count(*) FROM user_memory_progress WHERE user_id = ? AND session_id = ? AND up_to_run_index >= ?",
                user, session, runIndex) == 1);
    }

    private void execute(String sql, String... params) {
        pipeline.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setString(i + 1, params[i]);
                }
                return statement.executeUpdate();
            }
        });
    }

    @Test
    void shouldRebuildAUsersMemoriesAndProfileFromTheirHistoryAndLeaveOtherUsersAlone() {
        String alice = SessionSemanticsIT.newId("alice");
        String bob = SessionSemanticsIT.newId("bob");
        String aliceFirst = SessionSemanticsIT.newId("rebuild-a");
        String aliceSecond = SessionSemanticsIT.newId("rebuild-b");
        String bobSession = SessionSemanticsIT.newId("rebuild-c");
        String pizzaRun = run(alice, aliceFirst, "My name is Alice and I love pizza");
        String teaRun = run(alice, aliceSecond, "I like green tea");
        run(bob, bobSession, "I love jazz");
        awaitProgress(alice, aliceFirst, 1);
        awaitProgress(alice, aliceSecond, 1);
        awaitProgress(bob, bobSession, 1);
        List<String> aliceBefore = memoriesOf(alice).stream().map(UserMemory::memory).sorted().toList();
        assertThat(aliceBefore).hasSize(3);

        // What an older prompt left behind: memories the history does not say, one it lost, and a wrong profile.
        execute("UPDATE user_memories SET memory = 'stale: ' || memory WHERE user_id = ? AND memory LIKE '%pizza%'", alice);
        execute("UPDATE user_memories SET memory = 'stale: ' || memory WHERE user_id = ?", bob);
        List<UserMemory> bobBefore = memoriesOf(bob);
        assertThat(bobBefore).isNotEmpty();
        execute("DELETE FROM user_memories WHERE user_id = ? AND memory LIKE '%tea%'", alice);
        execute("UPDATE user_profiles SET profile = '{\"name\": \"Stale\"}' WHERE user_id = ?", alice);
        long profileVersion = rows.count("SELECT version FROM user_profiles WHERE user_id = ?", alice);

        JsonNode job = pipeline.client.post("/v1/reprocess", "{\"kind\": \"memories\", \"filter\": {\"user_id\": \"" + alice + "\"}}").body();
        String jobId = job.path("job_id").asText();
        assertThat(job.path("kind").asText()).isEqualTo("memories");
        assertThat(job.path("total").asInt()).as("one item per user").isEqualTo(1);
        Eventually.await("job " + jobId + " completes", Duration.ofSeconds(60),
                () -> "completed".equals(pipeline.client.get("/v1/reprocess/" + jobId).body().path("status").asText()));

        JsonNode done = pipeline.client.get("/v1/reprocess/" + jobId).body();
        assertThat(done.path("done").asInt()).isEqualTo(1);
        assertThat(done.path("failed").asInt()).isZero();
        List<UserMemory> rebuilt = memoriesOf(alice);
        assertThat(rebuilt).extracting(UserMemory::memory).containsExactlyInAnyOrderElementsOf(aliceBefore).noneMatch(m -> m.startsWith("stale"));
        assertThat(rebuilt).filteredOn(m -> m.memory().contains("tea")).singleElement()
                .satisfies(m -> assertThat(m.runId()).isEqualTo(teaRun)).satisfies(m -> assertThat(m.sessionId()).isEqualTo(aliceSecond));
        assertThat(rebuilt).filteredOn(m -> m.memory().contains("pizza")).singleElement()
                .satisfies(m -> assertThat(m.runId()).isEqualTo(pizzaRun));
        assertThat(rows.text("SELECT profile->>'name' FROM user_profiles WHERE user_id = ?", alice)).isEqualTo("Alice");
        assertThat(rows.count("SELECT version FROM user_profiles WHERE user_id = ?", alice)).as("a profile's version never goes back")
                .isGreaterThan(profileVersion);
        assertThat(rows.count("SELECT count(*) FROM user_memory_progress WHERE user_id = ? AND up_to_run_index = 1", alice)).isEqualTo(2);
        // Bob was outside the filter: his rows stay as they were, stale text included.
        assertThat(memoriesOf(bob)).containsExactlyElementsOf(bobBefore);
    }

    @Test
    void shouldRefuseAPromptVersionForMemoriesNamingTheField() {
        GatewayClient.Response refused = pipeline.client.post("/v1/reprocess", "{\"kind\": \"memories\", \"prompt_version\": \"memory-v9\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().toString()).contains("prompt_version");
    }
}
