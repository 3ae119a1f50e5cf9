package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ordering, external producers, dead letters and redelivery, on the real broker and Postgres. */
@PipelineIT
class DeliveryIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final Topic<RunRequested> requests;
    private final KafkaProducer<String, byte[]> producer;

    DeliveryIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.requests = pipeline.kafka.topics().runsRequested();
        this.producer = pipeline.kafka.producer("delivery-test");
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldStoreFiftyRequestsPublishedAtOnceInPublishOrder() {
        String session = SessionSemanticsIT.newId("order");
        for (int i = 1; i <= 50; i++) {
            publish(request(session, "user_1", "message " + i));
        }
        producer.flush();

        Eventually.await("50 completed runs", Duration.ofSeconds(60),
                () -> rows.count("SELECT count(*) FROM runs WHERE session_id = ? AND status = 'completed'", session) == 50);
        List<String> byIndex = rows.texts("SELECT input->>'message' FROM runs WHERE session_id = ? ORDER BY run_index", session);
        assertThat(byIndex).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(i -> "message " + i).toList());
        assertThat(rows.texts("SELECT run_index::text AS idx FROM runs WHERE session_id = ? ORDER BY runs.run_index", session))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).mapToObj(Integer::toString).toList());
        assertThat(rows.count("SELECT run_count FROM sessions WHERE session_id = ?", session)).isEqualTo(50);
    }

    @Test
    void shouldOrderConcurrentHttpRequestsToOneSessionAsKafkaDid() throws Exception {
        String session = SessionSemanticsIT.newId("http-order");
        ExecutorService clients = Executors.newFixedThreadPool(25);
        try {
            List<CompletableFuture<GatewayClient.Response>> posts = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                String body = Json.toText(SessionSemanticsIT.body("user_1", session, "concurrent " + i, Json.object().put("n" + i, i)));
                posts.add(CompletableFuture.supplyAsync(() -> pipeline.client.post("/v1/agents/personal-assistant/runs", body), clients));
            }
            for (CompletableFuture<GatewayClient.Response> post : posts) {
                assertThat(post.get().status()).isEqualTo(202);
            }
        } finally {
            clients.shutdown();
        }

        Eventually.await("50 completed runs", Duration.ofSeconds(60),
                () -> rows.count("SELECT count(*) FROM runs WHERE session_id = ? AND status = 'completed'", session) == 50);
        List<String> topicOrder = TopicReader.readUntil(pipeline.kafka, requests.name(), Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> session.equals(r.key())).count() == 50).stream()
                .filter(r -> session.equals(r.key()))
                .map(r -> requests.deserialize(r.value()).runId())
                .toList();
        List<String> indexOrder = rows.texts("SELECT run_id FROM runs WHERE session_id = ? ORDER BY run_index", session);
        assertThat(indexOrder).containsExactlyElementsOf(topicOrder);
        // No update was lost: every run's key is in the final state.
        JsonNode state = rows.sessionState(session);
        assertThat(state.size()).isEqualTo(50);
    }

    @Test
    void shouldProcessARunPublishedStraightToTheTopic() {
        String session = SessionSemanticsIT.newId("external");
        RunRequested request = RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_7", "What is my name?")
                .withSessionState(Json.object().put("user_name", "Eve").put("age", 41), false);
        publish(request);

        List<ConsumerRecord<String, byte[]>> completed = TopicReader.readUntil(pipeline.kafka,
                pipeline.kafka.topics().runsCompleted().name(), Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(request.runId())));
        JsonNode event = Json.parse(completed.stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(request.runId())).findFirst().orElseThrow());
        assertThat(event.path("session_id").asText()).isEqualTo(session);
        assertThat(event.path("run_index").asInt()).isEqualTo(1);
        assertThat(event.path("content").asText()).contains("Users name is Eve and age is 41");
        assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", request.runId())).isEqualTo("completed");
        assertThat(rows.text("SELECT user_id FROM sessions WHERE session_id = ?", session)).isEqualTo("user_7");
    }

    @Test
    void shouldNotCallTheModelAgainForARedeliveredRunButReEmitItsCompletion() {
        String session = SessionSemanticsIT.newId("redelivery");
        String message = "only once " + UUID.randomUUID();
        RunRequested request = request(session, "user_1", message);
        publish(request);
        Eventually.await("the run completes", Duration.ofSeconds(30),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", request.runId())));
        publish(request);

        List<ConsumerRecord<String, byte[]>> events = TopicReader.readUntil(pipeline.kafka,
                pipeline.kafka.topics().runsCompleted().name(), Duration.ofSeconds(30),
                records -> records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(request.runId())).count() == 2);
        assertThat(events.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(request.runId()))).hasSize(2);
        assertThat(pipeline.model.callsFor(message)).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM runs WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(rows.count("SELECT run_count FROM sessions WHERE session_id = ?", session)).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterUnreadableRecordsWithTheReasonAndGoOn() {
        String session = SessionSemanticsIT.newId("poison");
        producer.send(new ProducerRecord<>(requests.name(), session, "{not json".getBytes(StandardCharsets.UTF_8)));
        RunRequested misKeyed = request(SessionSemanticsIT.newId("other"), "user_1", "wrong key");
        producer.send(new ProducerRecord<>(requests.name(), session, requests.serialize(misKeyed)));
        RunRequested good = request(session, "user_1", "after the poison");
        publish(good);

        Eventually.await("the good run after the poison completes", Duration.ofSeconds(30),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", good.runId())));
        List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(pipeline.kafka,
                pipeline.kafka.topics().runsDeadLetter().name(), Duration.ofSeconds(30),
                records -> records.stream().filter(r -> session.equals(r.key())).count() == 2).stream()
                .filter(r -> session.equals(r.key())).toList();

        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(letters.get(0), "sessionflow.dlq.reason")).startsWith("not a valid RunRequested");
        assertThat(header(letters.get(0), "sessionflow.dlq.source.topic")).isEqualTo(requests.name());
        assertThat(header(letters.get(0), "sessionflow.dlq.source.partition")).matches("\\d+");
        assertThat(header(letters.get(0), "sessionflow.dlq.source.offset")).matches("\\d+");
        assertThat(header(letters.get(1), "sessionflow.dlq.reason")).contains("is not the session_id");
        assertThat(rows.count("SELECT count(*) FROM runs WHERE run_id = ?", misKeyed.runId())).isZero();
    }

    @Test
    void shouldFailARunForAnUnknownComponentAndSayWhy() {
        String session = SessionSemanticsIT.newId("unknown");
        RunRequested request = RunRequested.of(ComponentType.AGENT, "no-such-agent", session, "user_1", "hello");
        publish(request);

        List<ConsumerRecord<String, byte[]>> failed = TopicReader.readUntil(pipeline.kafka,
                pipeline.kafka.topics().runsFailed().name(), Duration.ofSeconds(30),
                records -> records.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(request.runId())));
        JsonNode event = Json.parse(failed.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(request.runId())).findFirst().orElseThrow());
        assertThat(event.path("error").asText()).isEqualTo("unknown agent 'no-such-agent'");
        assertThat(rows.count("SELECT count(*) FROM sessions WHERE session_id = ?", session)).isZero();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void publish(RunRequested request) {
        producer.send(new ProducerRecord<>(requests.name(), request.sessionId(), requests.serialize(request)));
    }

    private static RunRequested request(String session, String user, String message) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", session, user, message);
    }
}
