package io.sessionflow.runworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelException;
import io.sessionflow.model.ModelReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The run's deadline applies to the model call, without a database: the watcher checks deadlines
 * before it looks for cancellations, and a failed cancellation check (here: no database at all) is
 * only logged.
 */
class ModelInvokerTest {

    private static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("hello"));

    private final ModelInvoker invoker = new ModelInvoker(null, Clock.systemUTC());

    @AfterEach
    void close() {
        invoker.close();
    }

    @Test
    void shouldReturnTheAnswerOfAModelThatAnswersInTime() {
        ModelReply reply = invoker.call(new Answering(), PROMPT, "run-1", Instant.now().plusSeconds(30), Duration.ofSeconds(30));

        assertThat(reply.content()).isEqualTo("hi");
        assertThat(invoker.callsInFlight()).isZero();
    }

    @Test
    void shouldAbandonAndInterruptACallThatOutlivesTheRunsDeadline() throws InterruptedException {
        Hanging model = new Hanging();
        long start = System.nanoTime();

        Throwable failure = catchThrowable(() -> invoker.call(model, PROMPT, "run-2", Instant.now().plusMillis(300), Duration.ofSeconds(7)));

        assertThat(failure).isInstanceOf(RunTimedOutException.class).hasMessage("timed out after 7 s");
        assertThat((System.nanoTime() - start) / 1e9).isBetween(0.25, 5.0);
        assertThat(model.interrupted.await(5, TimeUnit.SECONDS)).as("the model's thread is interrupted").isTrue();
        assertThat(invoker.callsInFlight()).isZero();
    }

    @Test
    void shouldNotCallTheModelOnceTheDeadlineHasPassed() {
        Answering model = new Answering();

        Throwable failure = catchThrowable(() -> invoker.call(model, PROMPT, "run-3", Instant.now().minusMillis(1), Duration.ofSeconds(2)));

        assertThat(failure).isInstanceOf(RunTimedOutException.class);
        assertThat(model.calls).isZero();
    }

    @Test
    void shouldPassTheModelsOwnFailureThrough() {
        ChatModel failing = new Answering() {
            @Override
            public ModelReply complete(List<ChatMessage> messages) {
                throw new ModelException("rate limited", true, null);
            }
        };

        Throwable failure = catchThrowable(() -> invoker.call(failing, PROMPT, "run-4", Instant.now().plusSeconds(30), Duration.ofSeconds(30)));

        assertThat(failure).isInstanceOf(ModelException.class).hasMessage("rate limited");
    }

    private static class Answering implements ChatModel {
        volatile int calls;

        @Override
        public String id() {
            return "answering";
        }

        @Override
        public ModelReply complete(List<ChatMessage> messages) {
            calls++;
            return new ModelReply("hi", 1, 1);
        }
    }

    /** A provider that never answers, until its thread is interrupted. */
    private static final class Hanging implements ChatModel {
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public String id() {
            return "hanging";
        }

        @Override
        public ModelReply complete(List<ChatMessage> messages) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new IllegalStateException("interrupted");
        }
    }
}
