package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionflow.client.ApiErrorException;
import io.sessionflow.client.Component;
import io.sessionflow.client.RetryLaterException;
import io.sessionflow.client.RetryPolicy;
import io.sessionflow.client.Run;
import io.sessionflow.client.RunAccepted;
import io.sessionflow.client.RunRequest;
import io.sessionflow.client.RunStreamEvent;
import io.sessionflow.client.SessionflowClient;
import io.sessionflow.client.kafka.RunCompletedEvent;
import io.sessionflow.client.kafka.RunOutcome;
import io.sessionflow.client.kafka.RunOutcomeSubscription;
import io.sessionflow.client.kafka.RunRequestProducer;
import io.sessionflow.client.kafka.RunRequestedEvent;
import io.sessionflow.client.kafka.SessionflowTopics;
import io.sessionflow.config.Env;
import io.sessionflow.model.ModelCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Java client (module client/) against the real gateway, broker and Postgres: HTTP with streaming, the topics, and 429. */
@PipelineIT
class ClientIT {

    private static final Component AGENT = Component.agent("chat-with-history");

    private final TestPipeline pipeline;
    private final SessionflowClient client;

    ClientIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.client = SessionflowClient.create(pipeline.gateway.url(), TestPipeline.ADMIN_KEY);
    }

    @Test
    void shouldStreamARunThroughTheHttpClientAndReadItBack() {
        String session = SessionSemanticsIT.newId("client-http");
        List<RunStreamEvent> events = new ArrayList<>();

        Run run = client.streamRun(AGENT, RunRequest.of("Hello from the Java client").inSession(session).forUser("user_1"), events::add);

        assertThat(run.status()).isEqualTo("completed");
        assertThat(run.content()).isNotBlank();
        assertThat(events.get(0).type()).isEqualTo("run_started");
        assertThat(deltasOf(events)).isNotEmpty();
        assertThat(String.join("", deltasOf(events))).isEqualTo(run.content());
        assertThat(events.get(events.size() - 1).type()).isEqualTo("run_completed");
        assertThat(client.getRun(run.runId()).content()).isEqualTo(run.content());
        assertThat(client.getSession(session).runCount()).isEqualTo(1);
        assertThat(client.listSessionRuns(session, 1, 10).items()).extracting(Run::runId).containsExactly(run.runId());
    }

    @Test
    void shouldContinueAPausedRunWithAnExternalToolsResult() {
        String session = SessionSemanticsIT.newId("client-paused");

        Run paused = client.runAndWait(Component.agent("order-desk"),
                RunRequest.of("/tool look_up_order {\"order_id\": \"A-7\"}").inSession(session).forUser("user_1"));
        assertThat(paused.isPaused()).as("%s", paused).isTrue();
        String callId = paused.pendingToolCalls().get(0).path("call_id").asText();

        Run finished = client.continueRunAndWait(paused.runId(),
                List.of(new SessionflowClient.ToolResult(callId, "order A-7 shipped")), List.of());
        assertThat(finished.status()).isEqualTo("completed");
        assertThat(finished.content()).contains("look_up_order returned \"order A-7 shipped\"");
        assertThatThrownBy(() -> client.continueRun(paused.runId(), List.of(new SessionflowClient.ToolResult(callId, "again")), List.of()))
                .isInstanceOf(ApiErrorException.ConflictException.class);
    }

    @Test
    void shouldThrowTheTypedErrorCarryingTheServersJson() {
        assertThatThrownBy(() -> client.getRun("no-such-run-" + UUID.randomUUID()))
                .isInstanceOfSatisfying(ApiErrorException.NotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.body().path("error").path("status").asInt()).isEqualTo(404);
                });
        SessionflowClient wrongKey = SessionflowClient.create(pipeline.gateway.url(), "not-a-key");
        assertThatThrownBy(() -> wrongKey.getSession("any")).isInstanceOf(ApiErrorException.UnauthorizedException.class);
    }

    @Test
    void shouldReceiveTheCompletionOfARunProducedToTheTopic() throws Exception {
        String bootstrap = pipeline.stack.kafka().bootstrapServers();
        String session = SessionSemanticsIT.newId("client-kafka");
        RunRequestedEvent request = RunRequestedEvent.forAgent("chat-with-history", session, "user_1", "Produced by a Java service");

        try (RunOutcomeSubscription outcomes = new RunOutcomeSubscription(bootstrap, SessionflowTopics.DEFAULT,
                     "client-it-" + UUID.randomUUID(), "earliest", Map.of());
             RunRequestProducer producer = new RunRequestProducer(bootstrap, SessionflowTopics.DEFAULT, Map.of())) {
            producer.send(request).get();

            Optional<RunOutcome> outcome = outcomes.await(request.runId(), Duration.ofSeconds(60));

            assertThat(outcome).get().isInstanceOfSatisfying(RunCompletedEvent.class, completed -> {
                assertThat(completed.sessionId()).isEqualTo(session);
                assertThat(completed.runIndex()).isEqualTo(1);
                assertThat(completed.input().message()).isEqualTo("Produced by a Java service");
                assertThat(completed.content()).isNotBlank();
            });
        }
        assertThat(client.getRun(request.runId()).status()).isEqualTo("completed");
    }

    @Test
    void shouldRetryA429AfterItsRetryAfterUntilTheBacklogDrains() throws Exception {
        Rows rows = new Rows(pipeline.database);
        long before = rows.count("SELECT count(*) FROM runs WHERE status IN ('pending', 'running')");
        Map<String, String> env = new HashMap<>(pipeline.env);
        env.put("SESSIONFLOW_TOPIC_PREFIX", "client-backlog.");
        env.put("SESSIONFLOW_MAX_BACKLOG", Long.toString(before + 1));
        // A gateway without workers: the run it accepts stays pending and fills the backlog.
        try (Pipeline backlogged = Pipeline.open(new Env(env), ModelCatalog.fixed(pipeline.model))) {
            String url = backlogged.startGateway().url();
            String session = SessionSemanticsIT.newId("client-429");
            SessionflowClient noRetry = SessionflowClient.create(url, TestPipeline.ADMIN_KEY, RetryPolicy.NONE, Duration.ofSeconds(30));
            noRetry.startRun(AGENT, RunRequest.of("fills the backlog").inSession(session).forUser("user_1"));
            Thread.sleep(1000); // the backlog is counted four times a second

            assertThatThrownBy(() -> noRetry.startRun(AGENT, RunRequest.of("refused").inSession(session).forUser("user_1")))
                    .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.code()).isEqualTo("backlog_full");
                        assertThat(e.retryAfterSeconds()).hasValue(1);
                    });

            // A worker starts two seconds later; the retrying client waits out the Retry-After and gets in.
            Thread worker = new Thread(() -> {
                sleep(2000);
                backlogged.startRunWorker();
            });
            worker.start();
            SessionflowClient retrying = SessionflowClient.create(url, TestPipeline.ADMIN_KEY,
                    new RetryPolicy(20, Duration.ofSeconds(1), Duration.ofSeconds(5)), Duration.ofSeconds(30));
            long start = System.nanoTime();
            RunAccepted accepted = retrying.startRun(AGENT, RunRequest.of("accepted after retries").inSession(session).forUser("user_1"));
            worker.join();

            assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(1.5);
            assertThat(retrying.awaitRun(accepted.runId(), Duration.ofSeconds(60)).status()).isEqualTo("completed");
            retrying.deleteSession(session);
        }
    }

    private static List<String> deltasOf(List<RunStreamEvent> events) {
        return events.stream().filter(e -> e.type().equals("delta")).map(RunStreamEvent::delta).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
