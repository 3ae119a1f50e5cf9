package io.sessionflow.runworker;

import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelReply;
import io.sessionflow.store.Database;
import io.sessionflow.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls models so that a call can be abandoned: when the run is cancelled (seen in Postgres, so it
 * works whichever worker holds the run and whichever gateway took the cancel) or when the run's
 * deadline passes. The call's thread is interrupted; a provider that ignores the interruption
 * finishes in the background and its answer is thrown away.
 */
final class ModelInvoker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelInvoker.class);
    private static final long CANCEL_POLL_MILLIS = 200;

    private final Database database;
    private final Clock clock;
    private final RunStore runs = new RunStore();
    private final ExecutorService calls;
    private final ScheduledExecutorService poller;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    ModelInvoker(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "model-call-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "run-cancellations");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::pollCancellations, CANCEL_POLL_MILLIS, CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs one model call for {@code runId}, abandoning it on cancellation or at the deadline. */
    ModelReply call(ChatModel model, List<ChatMessage> messages, String runId, Instant deadline, Duration budget) {
        return call(model, messages, runId, deadline, budget, null);
    }

    /** @param onDelta receives the answer as the model streams it; null for a call that is not streamed */
    ModelReply call(ChatModel model, List<ChatMessage> messages, String runId, Instant deadline, Duration budget,
                    java.util.function.Consumer<String> onDelta) {
        inFlight.add(runId);
        Future<ModelReply> reply = calls.submit(() -> onDelta == null ? model.complete(messages) : model.stream(messages, onDelta));
        try {
            while (true) {
                if (cancelled.contains(runId)) {
                    reply.cancel(true);
                    throw new RunCancelledException(runId);
                }
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    reply.cancel(true);
                    throw new RunTimedOutException(budget);
                }
                try {
                    return reply.get(Math.min(left, CANCEL_POLL_MILLIS), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // check cancellation and the deadline again
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("model call failed", e.getCause());
                } catch (InterruptedException e) {
                    reply.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the model", e);
                }
            }
        } finally {
            inFlight.remove(runId);
            cancelled.remove(runId);
        }
    }

    /** One query for every run in flight on this worker, a few times a second. */
    private void pollCancellations() {
        if (inFlight.isEmpty()) {
            return;
        }
        try {
            Set<String> now = database.withConnection(c -> runs.cancelledAmong(c, Set.copyOf(inFlight)));
            cancelled.addAll(now);
        } catch (RuntimeException e) {
            log.warn("could not check for cancelled runs: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        calls.shutdownNow();
    }

}
