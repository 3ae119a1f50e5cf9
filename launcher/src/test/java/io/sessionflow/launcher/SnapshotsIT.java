package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.runworker.Prompt;
import io.sessionflow.store.snapshot.SessionSummary;
import io.sessionflow.store.snapshot.SnapshotStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Summaries and context snapshots on the real broker and Postgres, with the local model. */
@PipelineIT
class SnapshotsIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final KafkaProducer<String, byte[]> producer;

    SnapshotsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.producer = pipeline.kafka.producer("snapshots-test");
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldSummarizeABurstOfThirtyRunsWithFarFewerModelCalls() {
        String session = SessionSemanticsIT.newId("burst");
        Topic<RunRequested> requests = pipeline.kafka.topics().runsRequested();
        for (int i = 1; i <= 30; i++) {
            RunRequested request = RunRequested.of(ComponentType.AGENT, "summarized", session, "user_1", "burst message " + i + ".");
            producer.send(new ProducerRecord<>(requests.name(), session, requests.serialize(request)));
        }
        producer.flush();

        awaitSummaryCovering(session, 30);
        List<JsonNode> updates = summaryUpdates(session, 30);
        System.out.println("FIGURE burst of 30 runs on one session -> " + updates.size() + " summarizer model calls (every 5 runs or 1 s)");
        assertThat(updates.size()).isBetween(1, 10);
        assertThat(updates.get(updates.size() - 1).path("up_to_run_index").asInt()).isEqualTo(30);
        assertThat(updates).extracting(u -> u.path("up_to_run_index").asInt()).isSorted().doesNotHaveDuplicates();
        assertThat(rows.text("SELECT summary FROM session_summaries WHERE session_id = ?", session)).contains("- burst message 30.");
    }

    @Test
    void shouldIgnoreARedeliveredAndAnOlderRunCompleted() {
        String session = SessionSemanticsIT.newId("monotonic");
        for (int i = 1; i <= 3; i++) {
            run("summarized", session, "fact number " + i + ".");
        }
        awaitSummaryCovering(session, 3);
        List<ConsumerRecord<String, byte[]>> completed = TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsCompleted().name(),
                Duration.ofSeconds(30), records -> records.stream().filter(r -> session.equals(r.key())).count() == 3);
        List<ConsumerRecord<String, byte[]>> ours = completed.stream().filter(r -> session.equals(r.key())).toList();

        // The newest event again, then an older one: neither may change the summary.
        producer.send(new ProducerRecord<>(ours.get(2).topic(), session, ours.get(2).value()));
        producer.send(new ProducerRecord<>(ours.get(0).topic(), session, ours.get(0).value()));
        producer.flush();
        // A later run on the same session (same partition, so processed after them) shows they were consumed.
        run("summarized", session, "fact number 4.");
        awaitSummaryCovering(session, 4);

        List<Integer> covered = summaryUpdates(session, 4).stream().map(u -> u.path("up_to_run_index").asInt()).toList();
        assertThat(covered).doesNotHaveDuplicates().isSorted().endsWith(4);
        assertThat(covered.stream().filter(i -> i <= 3).count()).isEqualTo(covered.size() - 1);
        RunCompleted replayed = pipeline.kafka.topics().runsCompleted().deserialize(ours.get(2).value());
        assertThat(replayed.runIndex()).isEqualTo(3);
    }

    @Test
    void shouldPutTheExactSummaryBlockIntoTheNextRunsContext() {
        String session = SessionSemanticsIT.newId("inject");
        run("summarized", session, "I live in Lisbon.");
        awaitSummaryCovering(session, 1);
        SessionSummary stored = pipeline.database.withConnection(c -> new SnapshotStore().findSummary(c, session)).orElseThrow();
        String message = "Where do I live? " + UUID.randomUUID();
        run("summarized", session, message);

        assertThat(pipeline.model.systemMessageFor(message))
                .isEqualTo("Summaries on, injection on.\n\n" + Prompt.summaryBlock(stored));
    }

    @Test
    void shouldPutTheExactContextBlockIntoTheNextRunsContextInPlanningMode() {
        String session = SessionSemanticsIT.newId("plan");
        run("planner", session, "Help me deploy a Python app to production. Give me the steps.");
        JsonNode context = awaitContextCovering(session, 1);
        assertThat(context.path("goal").asText()).isEqualTo("Help me deploy a Python app to production.");
        String message = "Done with step 1. What's next? " + UUID.randomUUID();
        run("planner", session, message);

        String system = pipeline.model.systemMessageFor(message);
        assertThat(system).startsWith("Planning mode.\n\n<session_context>\nSummary: [sessionflow local model: extractive context, not an LLM]")
                .contains("\nGoal: Help me deploy a Python app to production.\n")
                .endsWith("</session_context>\n\nNote: this context was built from earlier turns of this session. "
                        + "If the current messages contradict it, the current messages win.");
        JsonNode after = awaitContextCovering(session, 2);
        assertThat(after.path("goal").asText()).isEqualTo("Help me deploy a Python app to production.");
        assertThat(after.path("progress")).hasSize(1);
    }

    @Test
    void shouldLetTwoWorkersOfEachKindSplitTheSessionsAndStillCoverEveryOne() {
        try (Pipeline second = Pipeline.open(new io.sessionflow.config.Env(pipeline.env),
                io.sessionflow.model.ModelCatalog.fixed(pipeline.model))) {
            var summarizer = second.startSummarizer();
            var contexts = second.startContextWorker();
            Eventually.await("the second workers get partitions", Duration.ofSeconds(30),
                    () -> !summarizer.worker().assignedPartitions().isEmpty() && !contexts.worker().assignedPartitions().isEmpty());
            List<String> sessions = java.util.stream.IntStream.range(0, 12).mapToObj(i -> SessionSemanticsIT.newId("split")).toList();
            for (String session : sessions) {
                run("summarized", session, "first.");
                run("planner", session + "-p", "Plan my move.");
            }
            for (String session : sessions) {
                awaitSummaryCovering(session, 1);
                awaitContextCovering(session + "-p", 1);
            }
            assertThat(pipeline.summarizer.worker().assignedPartitions()).isNotEmpty();
            assertThat(pipeline.contextWorker.worker().assignedPartitions()).isNotEmpty();
        }
    }

    @Test
    void shouldExposeSummaryAndContextLagAsPrometheusMetrics() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(pipeline.gateway.url() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body())
                .containsPattern("(?m)^sessionflow_summary_lag_runs\\{worker=\"summary-worker\"} \\d")
                .containsPattern("(?m)^sessionflow_summary_lag_seconds\\{worker=\"summary-worker\"} \\d")
                .containsPattern("(?m)^sessionflow_context_lag_runs\\{worker=\"context-worker\"} \\d")
                .containsPattern("(?m)^sessionflow_context_lag_seconds\\{worker=\"context-worker\"} \\d")
                .contains("sessionflow_summary_model_calls_total");
    }

    private void run(String agent, String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", agent, SessionSemanticsIT.body("user_1", session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
    }

    private void awaitSummaryCovering(String session, int runIndex) {
        Eventually.await("summary of " + session + " covers run " + runIndex, Duration.ofSeconds(30), () -> rows.count(
                "SELECT count(*) FROM session_summaries WHERE session_id = ? AND up_to_run_index >= ?", session, runIndex) == 1);
    }

    private JsonNode awaitContextCovering(String session, int runIndex) {
        Eventually.await("context of " + session + " covers run " + runIndex, Duration.ofSeconds(30),
                () -> pipeline.client.get("/v1/sessions/" + session).body().path("context").path("up_to_run_index").asInt() >= runIndex);
        return pipeline.client.get("/v1/sessions/" + session).body().path("context");
    }

    /** The SummaryUpdated events of a session on sessions.changed, read until one covers {@code upTo}. */
    private List<JsonNode> summaryUpdates(String session, int upTo) {
        return TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().sessionsChanged().name(), Duration.ofSeconds(30),
                        records -> records.stream().filter(r -> session.equals(r.key()))
                                .map(r -> Json.parse(new String(r.value(), StandardCharsets.UTF_8)))
                                .anyMatch(e -> "summary_updated".equals(e.path("type").asText()) && e.path("up_to_run_index").asInt() >= upTo))
                .stream().filter(r -> session.equals(r.key()))
                .map(r -> Json.parse(new String(r.value(), StandardCharsets.UTF_8)))
                .filter(e -> "summary_updated".equals(e.path("type").asText()))
                .toList();
    }
}
