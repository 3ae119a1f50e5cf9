package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deleted session stays deleted: the runs requested before the deletion (in flight, or queued on
 * the topic) end as cancelled without a model call and without making the session again; a request
 * made after the deletion may create a session with the same id. On the real broker and Postgres.
 */
@PipelineIT
class DeletedSessionsIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final Topic<RunRequested> requests;
    private final KafkaProducer<String, byte[]> producer;

    DeletedSessionsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.requests = pipeline.kafka.topics().runsRequested();
        this.producer = pipeline.kafka.producer("deleted-sessions-test");
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldCancelTheRunsInFlightAndQueuedWhenTheirSessionIsDeletedAndNotBringItBack() throws InterruptedException {
        String session = SessionSemanticsIT.newId("deleted-in-flight");
        String slow = "deleted while thinking sleep:4000 " + UUID.randomUUID();
        String queued = "queued behind it " + UUID.randomUUID();
        String slowRun = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, slow, Json.object().put("a", 1)))).body().path("run_id").asText();
        String queuedRun = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, queued, null))).body().path("run_id").asText();
        Eventually.await("the slow run is in its model call", Duration.ofSeconds(30), () -> pipeline.model.callsFor(slow) == 1);

        GatewayClient.Response deleted = pipeline.client.send("DELETE", "/v1/sessions/" + session, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().path("deleted")).hasSize(1);

        for (String runId : new String[] {slowRun, queuedRun}) {
            JsonNode event = failedEvent(runId);
            assertThat(event.path("status").asText()).as("status of %s", runId).isEqualTo("cancelled");
            assertThat(event.path("error").asText()).isEqualTo("session " + session + " was deleted");
        }
        assertThat(pipeline.model.wasInterrupted(slow)).as("the model call is let go when its session goes").isTrue();
        Thread.sleep(5000); // long enough for the slow call to have ended and for a retry to have come
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE session_id = ?", session)).isZero();
        assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ?", session)).isZero();
        assertThat(pipeline.model.callsFor(slow)).isEqualTo(1);
        assertThat(pipeline.model.callsFor(queued)).isZero();
        assertThat(pipeline.client.get("/v1/sessions/" + session).status()).isEqualTo(404);
    }

    @Test
    void shouldCancelARequestMadeBeforeTheDeletionAndLetOneMadeAfterItCreateTheSessionAnew() {
        String session = SessionSemanticsIT.newId("deleted-queued");
        assertThat(pipeline.client.run("agents", "personal-assistant",
                SessionSemanticsIT.body("user_1", session, "before", Json.object().put("old", true))).body().path("status").asText())
                .isEqualTo("completed");
        Instant beforeDeletion = Instant.now();
        assertThat(pipeline.client.send("DELETE", "/v1/sessions/" + session, null).status()).isEqualTo(200);

        // A record an external producer made before the deletion, still queued when it happened, then one made after it.
        String stale = "requested before the deletion " + UUID.randomUUID();
        String fresh = "requested after the deletion " + UUID.randomUUID();
        RunRequested staleRequest = request(session, stale, beforeDeletion);
        RunRequested freshRequest = request(session, fresh, Instant.now());
        publish(staleRequest);
        publish(freshRequest);
        producer.flush();

        JsonNode cancelled = failedEvent(staleRequest.runId());
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("error").asText()).isEqualTo("session " + session + " was deleted");
        Eventually.await("the fresh run completes", Duration.ofSeconds(30),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", freshRequest.runId())));
        assertThat(pipeline.model.callsFor(stale)).isZero();
        assertThat(pipeline.model.callsFor(fresh)).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM runs WHERE run_id = ?", staleRequest.runId())).isZero();
        // The session made anew starts from nothing: neither the deleted state nor the deleted runs.
        assertThat(rows.sessionState(session)).isEqualTo(Json.object().put("new", true));
        assertThat(rows.count("SELECT run_count FROM sessions WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(rows.count("SELECT run_index FROM runs WHERE run_id = ?", freshRequest.runId())).isEqualTo(1);
    }

    private static RunRequested request(String session, String message, Instant requestedAt) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", message)
                .withSessionState(Json.object().put("new", true), false).withRequestedAt(requestedAt);
    }

    private void publish(RunRequested request) {
        producer.send(new ProducerRecord<>(requests.name(), request.sessionId(), requests.serialize(request)));
    }

    private JsonNode failedEvent(String runId) {
        return Json.parse(TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsFailed().name(), Duration.ofSeconds(30),
                        records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(runId)))
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).filter(v -> v.contains(runId)).findFirst().orElseThrow());
    }
}
