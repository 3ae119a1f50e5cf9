package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.config.Env;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import io.sessionflow.embedded.EmbeddedStackExtension;
import io.sessionflow.gateway.webhook.WebhookSignature;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunEvent;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import io.sessionflow.runworker.KafkaRunEvents;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Streaming, webhooks, metrics and readiness, on the real broker and Postgres. */
@PipelineIT
class OperationsIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final HttpClient http = HttpClient.newHttpClient();

    OperationsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    record Sse(long id, String event, JsonNode data) {
    }

    @Test
    void shouldStreamTheDeltasInOrderThenTheFinalEventAndReplayThemAfterwards() throws Exception {
        String session = SessionSemanticsIT.newId("stream");
        List<Sse> live = sse(HttpRequest.newBuilder(URI.create(pipeline.gateway.url() + "/v1/agents/personal-assistant/runs?stream=true"))
                .header("Authorization", "Bearer " + TestPipeline.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.toText(SessionSemanticsIT.body("user_1", session, "What is my name?",
                        Json.object().put("user_name", "Sam").put("age", 7))))).build());

        assertThat(live.get(0).event()).isEqualTo("run_started");
        assertThat(live.get(live.size() - 1).event()).isEqualTo("run_completed");
        List<Sse> deltas = live.stream().filter(e -> e.event().equals("delta")).toList();
        assertThat(deltas).hasSizeGreaterThan(2); // the local model streams line by line
        assertThat(live).extracting(Sse::id).isSorted().doesNotHaveDuplicates();
        String runId = live.get(0).data().path("run_id").asText();
        String streamed = String.join("", deltas.stream().map(e -> e.data().path("delta").asText()).toList());
        assertThat(streamed).isEqualTo(rows.text("SELECT content FROM runs WHERE run_id = ?", runId)).contains("Users name is Sam and age is 7");
        assertThat(live.get(live.size() - 1).data().path("run").path("run_index").asInt()).isEqualTo(1);

        List<Sse> replay = sse(get("/v1/runs/" + runId + "/events").build());
        assertThat(replay).extracting(Sse::id).containsExactlyElementsOf(live.stream().map(Sse::id).toList());
        assertThat(replay).extracting(Sse::event).containsExactlyElementsOf(live.stream().map(Sse::event).toList());
        List<Sse> resumed = sse(get("/v1/runs/" + runId + "/events").header("Last-Event-ID", Long.toString(live.get(1).id())).build());
        assertThat(resumed).extracting(Sse::id).containsExactlyElementsOf(live.subList(2, live.size()).stream().map(Sse::id).toList());
        assertThat(resumed.get(resumed.size() - 1).event()).isEqualTo("run_completed");
    }

    @Test
    void shouldResumeAfterAnEventOfAnEarlierExecutionWithEveryLaterEventExactlyOnce() throws Exception {
        String session = SessionSemanticsIT.newId("re-executed");
        RunRequested run = RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", "hello")
                .withRunId(SessionSemanticsIT.newId("run"));
        insertRunningRun(run);
        Topic<RunEvent> topic = pipeline.kafka.topics().runsEvents();
        // The first worker streams part of the answer, then dies before the run's outcome.
        try (KafkaProducer<String, byte[]> first = pipeline.kafka.producer("first-worker")) {
            KafkaRunEvents events = new KafkaRunEvents(first, topic, Clock.systemUTC());
            events.started(run);
            events.delta(run, "first execution, ");
            events.delta(run, "cut short");
        }
        // Another worker executes the run again, from the start, and finishes it.
        RecordMetadata last;
        try (KafkaProducer<String, byte[]> second = pipeline.kafka.producer("second-worker")) {
            KafkaRunEvents events = new KafkaRunEvents(second, topic, Clock.systemUTC());
            events.started(run);
            events.delta(run, "the whole answer");
            last = events.finished(run.runId(), session, true, Json.object().put("run_id", run.runId())).get(10, TimeUnit.SECONDS);
        }
        pipeline.database.withConnection(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE runs SET status = 'completed', content = ? WHERE run_id = ?")) {
                update.setString(1, "the whole answer");
                update.setString(2, run.runId());
                return update.executeUpdate();
            }
        });

        List<Sse> all = sse(get("/v1/runs/" + run.runId() + "/events").build());
        assertThat(all).extracting(Sse::event).containsExactly("run_started", "delta", "delta", "run_started", "delta", "run_completed");
        assertThat(all).extracting(Sse::id).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(all.size() - 1).id()).isEqualTo(last.offset());
        // The gateway looks for a session's events where the producer really put them.
        assertThat(last.partition()).isEqualTo(Topics.partitionOf(session, pipeline.kafka.settings().partitions()));

        List<Sse> resumed = sse(get("/v1/runs/" + run.runId() + "/events").header("Last-Event-ID", Long.toString(all.get(1).id())).build());
        assertThat(resumed).extracting(Sse::id).containsExactlyElementsOf(all.subList(2, all.size()).stream().map(Sse::id).toList());
        assertThat(resumed).extracting(Sse::event).containsExactly("delta", "run_started", "delta", "run_completed");
        assertThat(resumed).extracting(e -> e.data().path("delta").asText("")).containsExactly("cut short", "", "the whole answer", "");
    }

    private void insertRunningRun(RunRequested run) {
        pipeline.database.inTransaction(c -> {
            try (PreparedStatement session = c.prepareStatement(
                    "INSERT INTO sessions (session_id, session_type, user_id, component_id) VALUES (?, 'agent', ?, ?)");
                 PreparedStatement started = c.prepareStatement("INSERT INTO runs (run_id, session_id, user_id, component_type, component_id,"
                         + " status, input, started_at) VALUES (?, ?, ?, 'agent', ?, 'running', '{\"message\": \"hello\"}'::jsonb, now())")) {
                session.setString(1, run.sessionId());
                session.setString(2, run.userId());
                session.setString(3, run.componentId());
                session.executeUpdate();
                started.setString(1, run.runId());
                started.setString(2, run.sessionId());
                started.setString(3, run.userId());
                started.setString(4, run.componentId());
                return started.executeUpdate();
            }
        });
    }

    @Test
    void shouldStreamARunFromAnotherGatewayThanTheOneThatAcceptedIt() throws Exception {
        String session = SessionSemanticsIT.newId("other-gateway");
        String runId = pipeline.client.post("/v1/agents/personal-assistant/runs",
                Json.toText(SessionSemanticsIT.body("user_1", session, "sleep:1500 stream me", null))).body().path("run_id").asText();
        try (Pipeline second = Pipeline.open(new Env(pipeline.env), io.sessionflow.model.ModelCatalog.fixed(pipeline.model))) {
            String otherGateway = second.startGateway().url();
            List<Sse> events = sse(HttpRequest.newBuilder(URI.create(otherGateway + "/v1/runs/" + runId + "/events"))
                    .header("Authorization", "Bearer " + TestPipeline.ADMIN_KEY).build());
            assertThat(events.get(0).event()).isEqualTo("run_started");
            assertThat(events.get(events.size() - 1).event()).isEqualTo("run_completed");
            String streamed = String.join("", events.stream().filter(e -> e.event().equals("delta")).map(e -> e.data().path("delta").asText()).toList());
            assertThat(streamed).isEqualTo(rows.text("SELECT content FROM runs WHERE run_id = ?", runId));
        }
    }

    @Test
    void shouldPostOneSignedWebhookPerRunAndRetryWhenTheReceiverFails() throws Exception {
        Map<String, List<Map<String, String>>> received = new ConcurrentHashMap<>();
        AtomicInteger refuseFirst = new AtomicInteger(1);
        String failing = "fails-once-" + UUID.randomUUID();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String runId = Json.MAPPER.readTree(body).path("run").path("run_id").asText();
            String message = Json.MAPPER.readTree(body).path("run").path("input").path("message").asText();
            String timestamp = exchange.getRequestHeaders().getFirst("X-Sessionflow-Timestamp");
            boolean valid = WebhookSignature.sign(TestPipeline.WEBHOOK_SECRET, timestamp, body)
                    .equals(exchange.getRequestHeaders().getFirst("X-Sessionflow-Signature"));
            received.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(Map.of("valid", Boolean.toString(valid),
                    "attempt", exchange.getRequestHeaders().getFirst("X-Sessionflow-Attempt"),
                    "event", exchange.getRequestHeaders().getFirst("X-Sessionflow-Event")));
            int status = message.startsWith(failing) && refuseFirst.getAndDecrement() > 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
            String session = SessionSemanticsIT.newId("hook");
            List<String> runIds = new ArrayList<>();
            for (String message : List.of("first", "second", failing)) {
                var body = SessionSemanticsIT.body("user_1", session, message, null).put("webhook_url", url);
                runIds.add(pipeline.client.run("agents", "personal-assistant", body).body().path("run_id").asText());
            }
            Eventually.await("every run's webhook arrives", Duration.ofSeconds(30),
                    () -> runIds.stream().allMatch(id -> received.getOrDefault(id, List.of()).stream().anyMatch(r -> r.get("attempt") != null
                            && received.get(id).size() >= (id.equals(runIds.get(2)) ? 2 : 1))));
            Thread.sleep(2000); // time enough for a duplicate to show up, if there were one

            assertThat(received.get(runIds.get(0))).hasSize(1);
            assertThat(received.get(runIds.get(1))).hasSize(1);
            assertThat(received.get(runIds.get(2))).hasSize(2);
            assertThat(received.get(runIds.get(2))).extracting(r -> r.get("attempt")).containsExactly("1", "2");
            received.values().stream().flatMap(List::stream).forEach(r -> {
                assertThat(r.get("valid")).isEqualTo("true");
                assertThat(r.get("event")).isEqualTo("run.completed");
            });
        } finally {
            receiver.stop(0);
        }
        assertThat(pipeline.client.post("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\", \"webhook_url\": \"ftp://nope\"}")
                .body().path("error").path("field").asText()).isEqualTo("webhook_url");
    }

    @Test
    void shouldServePrometheusMetricsWhoseValuesMoveWhenRunsFlow() throws Exception {
        String before = metrics();
        assertThat(before.lines().filter(line -> !line.isEmpty()))
                .allMatch(line -> line.startsWith("#") || Pattern.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? -?[0-9.eE+-]+|.* (NaN|[+-]Inf)", line));
        for (String series : List.of("sessionflow_runs_accepted_total", "sessionflow_runs_completed_total", "sessionflow_runs_failed_total",
                "sessionflow_runs_cancelled_total", "sessionflow_run_end_to_end_seconds_bucket", "sessionflow_run_accept_to_start_seconds_bucket",
                "sessionflow_run_model_call_seconds_bucket", "sessionflow_run_commit_seconds_bucket", "sessionflow_runs_in_flight",
                "sessionflow_model_tokens_total{direction=\"in\"", "sessionflow_summary_lag_runs", "sessionflow_context_lag_seconds",
                "kafka_consumer_fetch_manager_records_lag", "hikaricp_connections_active", "jvm_memory_used_bytes")) {
            assertThat(before).as(series).contains(series);
        }
        double completed = sum(before, "sessionflow_runs_completed_total");
        double accepted = sum(before, "sessionflow_runs_accepted_total");
        pipeline.client.run("agents", "personal-assistant", SessionSemanticsIT.body("user_1", SessionSemanticsIT.newId("metrics"), "count me", null));
        String after = metrics();
        assertThat(sum(after, "sessionflow_runs_completed_total")).isGreaterThan(completed);
        assertThat(sum(after, "sessionflow_runs_accepted_total")).isEqualTo(accepted + 1);
    }

    @Test
    void shouldNotBeReadyWhilePostgresIsDown(@EmbeddedStackExtension.Own EmbeddedPostgresServer postgres) throws Exception {
        Map<String, String> env = new HashMap<>(pipeline.env);
        env.put("SESSIONFLOW_TOPIC_PREFIX", "ready.");
        env.put("DATABASE_URL", postgres.jdbcUrl());
        try (Pipeline ready = Pipeline.open(new Env(env))) {
            String url = ready.startGateway().url() + "/health/ready";
            assertThat(status(url)).isEqualTo(200);
            postgres.stop();
            Eventually.await("readiness turns false", Duration.ofSeconds(15), () -> status(url) == 503);
            JsonNode report = Json.parse(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(report.path("status").asText()).isEqualTo("not_ready");
            assertThat(report.path("checks").path("postgres").asText()).startsWith("unreachable");
            assertThat(report.path("checks").path("kafka").asText()).isEqualTo("ok");
            postgres.resume();
            Eventually.await("readiness turns true again", Duration.ofSeconds(30), () -> status(url) == 200);
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(pipeline.gateway.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sum(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + "{") || line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(pipeline.gateway.url() + path)).header("Authorization", "Bearer " + TestPipeline.ADMIN_KEY);
    }

    /** Reads a whole event stream (it ends with the run's final event). */
    private List<Sse> sse(HttpRequest request) throws Exception {
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Sse> events = new ArrayList<>();
        long id = -1;
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6)).append('\n');
            } else if (line.isEmpty() && event != null) {
                events.add(new Sse(id, event, Json.parse(data.toString())));
                boolean last = event.equals("run_completed") || event.equals("run_failed");
                event = null;
                data.setLength(0);
                if (last) {
                    break;
                }
            }
        }
        return events;
    }
}
