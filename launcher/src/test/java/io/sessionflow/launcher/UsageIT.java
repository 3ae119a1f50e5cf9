package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.json.Json;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Usage from the bus on the real broker and Postgres: runs through HTTP are counted by the usage
 * topology into {@code usage_windows} and answered by {@code GET /v1/usage}; a completion produced again
 * is not counted twice; user keys see only their own.
 */
@PipelineIT
class UsageIT {

    private final TestPipeline pipeline;

    UsageIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    private JsonNode run(String user, String message) {
        return run(user, SessionSemanticsIT.newId("usage-session"), message);
    }

    private JsonNode run(String user, String sessionId, String message) {
        GatewayClient.Response response = pipeline.client.post("/v1/agents/chat-with-history/runs?wait=true",
                Json.toText(Json.object().put("message", message).put("user_id", user).put("session_id", sessionId)));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    private JsonNode usage(String query) {
        GatewayClient.Response response = pipeline.client.get("/v1/usage?" + query);
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldCountRunsFailuresAndTokensPerUserAndComponentOnceEach() throws Exception {
        String user = SessionSemanticsIT.newId("usage");
        JsonNode first = run(user, "hello there");
        JsonNode second = run(user, "tell me more");
        JsonNode failed = run(user, "this run hits " + TestPipeline.CountingModel.BUG);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        long input = first.path("metrics").path("input_tokens").asLong() + second.path("metrics").path("input_tokens").asLong();
        long output = first.path("metrics").path("output_tokens").asLong() + second.path("metrics").path("output_tokens").asLong();
        assertThat(input).isPositive();

        Eventually.await("usage of " + user + " counted", Duration.ofSeconds(60),
                () -> usage("user_id=" + user + "&granularity=day").path("totals").path("runs").asLong() == 3);
        JsonNode day = usage("user_id=" + user + "&granularity=day");
        assertThat(day.path("totals").path("failed_runs").asLong()).isEqualTo(1);
        assertThat(day.path("totals").path("input_tokens").asLong()).isEqualTo(input);
        assertThat(day.path("totals").path("output_tokens").asLong()).isEqualTo(output);
        assertThat(day.path("items")).allSatisfy(item -> {
            assertThat(item.path("user_id").asText()).isEqualTo(user);
            assertThat(item.path("component_id").asText()).isEqualTo("chat-with-history");
        });
        Eventually.await("hourly usage of " + user, Duration.ofSeconds(30),
                () -> usage("user_id=" + user + "&component_type=agent&component_id=chat-with-history").path("totals").path("runs").asLong() == 3);

        // The same completion produced again (as a retried commit or a producer by hand could): not counted twice.
        RunCompleted again = Json.MAPPER.readValue(Json.toBytes(Json.object()
                .put("schema_version", RunCompleted.SCHEMA_VERSION).put("run_id", first.path("run_id").asText())
                .put("session_id", first.path("session_id").asText()).put("user_id", user).put("component_type", "agent")
                .put("component_id", "chat-with-history").put("run_index", 1).put("content", "again").put("model", "x")
                .put("completed_at", first.path("completed_at").asText())), RunCompleted.class);
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("usage-test")) {
            producer.send(new ProducerRecord<>(pipeline.kafka.topics().runsCompleted().name(), again.sessionId(), Json.toBytes(again)))
                    .get(30, TimeUnit.SECONDS);
        }
        // A later run in the same session (so on the same partition, after the repeat) is the marker that
        // the topology has read past the repeat.
        run(user, first.path("session_id").asText(), "one more");
        Eventually.await("the marker run counted", Duration.ofSeconds(60),
                () -> usage("user_id=" + user + "&granularity=day").path("totals").path("runs").asLong() >= 4);
        assertThat(usage("user_id=" + user + "&granularity=day").path("totals").path("runs").asLong()).isEqualTo(4);
    }

    @Test
    void shouldKeepAUserKeyToItsOwnUsage() {
        run("alice", "usage of alice");
        GatewayClient alice = pipeline.client.withKey(TestPipeline.keyFor("alice"));
        Eventually.await("alice's usage counted", Duration.ofSeconds(60),
                () -> alice.get("/v1/usage?granularity=day").body().path("totals").path("runs").asLong() > 0);
        assertThat(alice.get("/v1/usage?granularity=day").body().path("items"))
                .allSatisfy(item -> assertThat(item.path("user_id").asText()).isEqualTo("alice"));
        GatewayClient.Response other = alice.get("/v1/usage?user_id=bob");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().path("error").path("field").asText()).isEqualTo("user_id");
    }

    @Test
    void shouldAnswerBadParametersWithA400NamingTheField() {
        assertThat(field(pipeline.client.get("/v1/usage?granularity=week"))).isEqualTo("granularity");
        assertThat(field(pipeline.client.get("/v1/usage?from=yesterday"))).isEqualTo("from");
        assertThat(field(pipeline.client.get("/v1/usage?from=2026-02-01&to=2026-01-01"))).isEqualTo("to");
        assertThat(field(pipeline.client.get("/v1/usage?limit=0"))).isEqualTo("limit");
        assertThat(field(pipeline.client.get("/v1/usage?user_id=a%20b"))).isEqualTo("user_id");
        assertThat(field(pipeline.client.get("/v1/usage?colour=red"))).isEqualTo("colour");
    }

    private static String field(GatewayClient.Response response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
        return response.body().path("error").path("field").asText();
    }
}
