package io.sessionflow.runworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.config.DatabaseSettings;
import io.sessionflow.embedded.EmbeddedPostgresServer;
import io.sessionflow.embedded.EmbeddedStackExtension;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.model.ModelException;
import io.sessionflow.model.ModelReply;
import io.sessionflow.run.Backoff;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.SessionStore;
import io.sessionflow.runworker.tool.ToolSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How one attempt at a run ends, and what the processor makes of it, against a real Postgres: the run is
 * completed, tried again, failed or re-announced, each where its start, model call or commit says so.
 * The model is a scripted stand-in: each test says what its calls do.
 */
@ExtendWith(EmbeddedStackExtension.class)
class RunProcessorIT {

    private static Database database;
    private final SessionStore sessions = new SessionStore();
    private final RunStore runs = new RunStore();
    private final List<String> retries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger modelCalls = new AtomicInteger();
    /** What the model does on each call (the call's number, from 1); it answers "hello" unless this throws. */
    private volatile Consumer<Integer> onCall = call -> { };
    private RunProcessor processor;

    @BeforeAll
    static void open(EmbeddedPostgresServer postgres) {
        database = Database.open(new DatabaseSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 4), "processor-test");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void newProcessor() {
        ChatModel model = new ChatModel() {
            @Override
            public String id() {
                return "scripted";
            }

            @Override
            public ModelReply complete(List<ChatMessage> messages) {
                onCall.accept(modelCalls.incrementAndGet());
                return new ModelReply("hello", 1, 1);
            }
        };
        RunWorkerSettings settings = new RunWorkerSettings("test", 4, 16, Duration.ofSeconds(1),
                new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(5)), Duration.ofSeconds(30), 1, 16,
                new ToolSettings(null, null, null), Duration.ofHours(1));
        RunEventSink sink = new RunEventSink() {
            @Override
            public void retrying(RunRequested run, String reason) {
                retries.add(reason);
            }
        };
        processor = new RunProcessor(database, ComponentRegistry.builtIn(), ModelCatalog.fixed(model), settings, sink,
                new SimpleMeterRegistry(), Clock.systemUTC());
    }

    @AfterEach
    void closeProcessor() {
        processor.close();
    }

    @Test
    void shouldCompleteARunAndStoreItAsTheSessionsFirst() {
        RunRequested request = request("alice");

        RunOutcome outcome = processor.process(request);

        assertThat(outcome).isInstanceOfSatisfying(RunOutcome.Completed.class, completed -> {
            assertThat(completed.event().content()).isEqualTo("hello");
            assertThat(completed.event().runIndex()).isEqualTo(1);
        });
        assertThat(status(request)).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void shouldRunAgainOnTheNewStateWhenTheSessionMovedOnBeforeTheCommit() {
        RunRequested request = request("alice");
        // A PATCH lands while the first attempt waits for the model: its commit is fenced off.
        onCall = call -> {
            if (call == 1) {
                database.inTransaction(c -> sessions.update(c, request.sessionId(), null, Json.object().put("patched", true), null));
            }
        };

        RunOutcome outcome = processor.process(request);

        assertThat(outcome).isInstanceOf(RunOutcome.Completed.class);
        assertThat(modelCalls).hasValue(2);
        assertThat(retries).singleElement().asString().contains("is no longer at version");
        assertThat(database.withConnection(c -> sessions.find(c, request.sessionId())).orElseThrow().sessionState())
                .isEqualTo(Json.object().put("patched", true));
    }

    @Test
    void shouldRetryATransientModelErrorAndFailOnAPermanentOneNamingTheTries() {
        RunRequested request = request("alice");
        onCall = call -> {
            throw new ModelException(call == 1 ? "overloaded" : "bad request", call == 1, null);
        };

        RunOutcome outcome = processor.process(request);

        assertThat(outcome).isInstanceOfSatisfying(RunOutcome.Failed.class,
                failed -> assertThat(failed.event().error()).isEqualTo("bad request (after 2 attempts)"));
        assertThat(retries).containsExactly("overloaded");
        assertThat(status(request)).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void shouldFailARunInAnotherUsersSessionWithoutCallingTheModel() {
        RunRequested alices = request("alice");
        processor.process(alices);
        RunRequested bobs = RunRequested.of(ComponentType.AGENT, "personal-assistant", alices.sessionId(), "bob", "hi");

        RunOutcome outcome = processor.process(bobs);

        assertThat(outcome).isInstanceOfSatisfying(RunOutcome.Failed.class,
                failed -> assertThat(failed.event().error()).isEqualTo("session " + alices.sessionId() + " not found"));
        assertThat(modelCalls).hasValue(1);
        assertThat(retries).isEmpty();
    }

    @Test
    void shouldAnnounceAFinishedRunAgainWithoutCallingTheModel() {
        RunRequested request = request("alice");
        RunOutcome first = processor.process(request);

        RunOutcome redelivered = processor.process(request);

        assertThat(modelCalls).hasValue(1);
        // Rebuilt from the stored run: the same run, index and answer as first announced.
        assertThat(redelivered).isInstanceOfSatisfying(RunOutcome.Completed.class, again -> assertThat(again.event())
                .usingRecursiveComparison().comparingOnlyFields("runId", "sessionId", "runIndex", "content", "model")
                .isEqualTo(((RunOutcome.Completed) first).event()));
    }

    private static RunRequested request(String user) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", "processor-" + UUID.randomUUID(), user, "hi");
    }

    private RunStatus status(RunRequested request) {
        return database.withConnection(c -> runs.find(c, request.runId())).orElseThrow().status();
    }
}
