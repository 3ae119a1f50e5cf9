package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Forgetting a user erases every row of theirs, in batches, with a run of theirs in flight meanwhile. */
@PipelineIT
class ForgetUserIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    ForgetUserIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldLeaveNoRowOfTheUserEvenWithARunInFlightAndBeSafeToAskAgain() throws InterruptedException {
        String user = SessionSemanticsIT.newId("forgotten");
        String other = SessionSemanticsIT.newId("kept");
        String first = SessionSemanticsIT.newId("forget");
        String second = SessionSemanticsIT.newId("forget");
        String kept = SessionSemanticsIT.newId("forget");
        for (String session : List.of(first, second)) {
            assertThat(pipeline.client.run("agents", "memory-assistant",
                    SessionSemanticsIT.body(user, session, "My name is Zed and I love pizza", null)).status()).isEqualTo(200);
        }
        assertThat(pipeline.client.run("agents", "memory-assistant", SessionSemanticsIT.body(other, kept, "I love tea", null)).status())
                .isEqualTo(200);
        Eventually.await("the user's memories are stored", Duration.ofSeconds(40),
                () -> rows.count("SELECT count(*) FROM user_memory_progress WHERE user_id = ?", user) == 2);
        assertThat(pipeline.client.post("/v1/users/" + user + "/memories", "{\"memory\": \"Added by hand\"}").status()).isEqualTo(201);
        String keyedRun = pipeline.client.send("POST", "/v1/agents/memory-assistant/runs", Json.toText(SessionSemanticsIT.body(user, second, "again", null)),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())).body().path("run_id").asText();
        assertThat(rows.count("SELECT count(*) FROM idempotency_keys WHERE run_id = ?", keyedRun)).isEqualTo(1);
        String slow = "I love slow food sleep:3000 " + UUID.randomUUID();
        pipeline.client.post("/v1/agents/memory-assistant/runs", Json.toText(SessionSemanticsIT.body(user, first, slow, null)));
        Eventually.await("the slow run is in its model call", Duration.ofSeconds(30), () -> pipeline.model.callsFor(slow) == 1);

        GatewayClient.Response started = pipeline.client.post("/v1/users/" + user + "/forget", null);
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        JsonNode job = awaitCompleted(started.body().path("job_id").asText());
        assertThat(job.path("sessions_deleted").asInt()).isEqualTo(2);

        Thread.sleep(5000); // long enough for the slow call to end, a retry to come, and its memory request to be read
        assertNoRowOf(user, first, second);
        assertThat(rows.count("SELECT count(*) FROM idempotency_keys WHERE run_id = ?", keyedRun)).isZero();
        // Asking again finds nothing left, and says so.
        JsonNode again = awaitCompleted(pipeline.client.post("/v1/users/" + user + "/forget", null).body().path("job_id").asText());
        assertThat(again.path("sessions_deleted").asInt()).isZero();
        assertNoRowOf(user, first, second);
        // Another user is untouched.
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE user_id = ?", other)).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ?", kept)).isEqualTo(1);
    }

    private JsonNode awaitCompleted(String jobId) {
        Eventually.await("erasure job " + jobId + " completes", Duration.ofSeconds(30),
                () -> pipeline.client.get("/v1/erasures/" + jobId).body().path("status").asText().equals("completed"));
        return pipeline.client.get("/v1/erasures/" + jobId).body();
    }

    private void assertNoRowOf(String user, String... sessions) {
        for (String table : List.of("sessions", "runs", "user_memories", "user_profiles", "user_memory_progress", "user_erasures")) {
            assertThat(rows.count("SELECT count(*) FROM " + table + " WHERE user_id = ?", user)).as(table).isZero();
        }
        assertThat(rows.count("SELECT count(*) FROM idempotency_keys WHERE scope = ?", "user:" + user)).isZero();
        for (String session : sessions) {
            for (String table : List.of("runs", "session_summaries", "session_contexts", "user_memory_progress")) {
                assertThat(rows.count("SELECT count(*) FROM " + table + " WHERE session_id = ?", session)).as(table).isZero();
            }
        }
    }
}
