package io.sessionflow.runworker;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelReply;
import io.sessionflow.model.ToolSpec;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls models so that a call can be abandoned: when the run is cancelled (seen in Postgres, so it
 * works whichever worker holds the run and whichever gateway took the cancel) or when the run's
 * deadline passes. The call runs on a thread of its own, so the run can be let go even from a
 * provider that ignores interruption (its late answer is thrown away); the run's thread just waits
 * for the answer. A run whose row is gone (its session was deleted) counts as cancelled. One watcher,
 * a few times a second, checks every call in flight at once: one query for cancellations, one pass
 * over the deadlines, so a thousand waiting runs cost no wake-ups.
 */
final class ModelInvoker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelInvoker.class);
    private static final long WATCH_MILLIS = 200;

    private final Database database;
    private final Clock clock;
    private final RunStore runs = new RunStore();
    private final ExecutorService calls;
    private final ScheduledExecutorService watcher;
    private final Map<String, Call> inFlight = new ConcurrentHashMap<>();

    ModelInvoker(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.calls = Executors.newCachedThreadPool(DaemonThreads.numbered("model-call-"));
        this.watcher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("model-call-watcher"));
        watcher.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs one model call for {@code runId}, abandoning it on cancellation or at the deadline. */
    ModelReply call(ChatModel model, List<ChatMessage> messages, String runId, Instant deadline, Duration budget) {
        return call(model, messages, runId, deadline, budget, null);
    }

    /** @param onDelta receives the answer as the model streams it; null for a call that is not streamed */
    ModelReply call(ChatModel model, List<ChatMessage> messages, String runId, Instant deadline, Duration budget,
                    java.util.function.Consumer<String> onDelta) {
        return call(model, messages, List.of(), runId, deadline, budget, onDelta);
    }

    /** @param tools offered to the model (none: a plain call) */
    ModelReply call(ChatModel model, List<ChatMessage> messages, List<ToolSpec> tools, String runId, Instant deadline, Duration budget,
                    java.util.function.Consumer<String> onDelta) {
        if (!clock.instant().isBefore(deadline)) {
            throw new RunTimedOutException(budget);
        }
        CompletableFuture<ModelReply> reply = new CompletableFuture<>();
        Future<?> task = calls.submit(() -> {
            try {
                reply.complete(onDelta == null ? model.complete(messages, tools) : model.stream(messages, tools, onDelta));
            } catch (Throwable e) {
                reply.completeExceptionally(e);
            }
        });
        Call call = new Call(runId, deadline, budget, reply, task);
        inFlight.put(runId, call);
        try {
            return reply.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("model call failed", e.getCause());
        } catch (InterruptedException e) {
            call.abandon(new OperationInterruptedException("interrupted while waiting for the model", e));
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while waiting for the model", e);
        } finally {
            inFlight.remove(runId);
        }
    }

    /** Model calls waiting for their answer now. */
    int callsInFlight() {
        return inFlight.size();
    }

    /** Abandons the calls whose run passed its deadline, then those whose run was cancelled. */
    private void watch() {
        if (inFlight.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (Call call : inFlight.values()) {
            if (!now.isBefore(call.deadline())) {
                call.abandon(new RunTimedOutException(call.budget()));
            }
        }
        try {
            Set<String> cancelled = database.withConnection(c -> runs.cancelledOrGoneAmong(c, Set.copyOf(inFlight.keySet())));
            for (String runId : cancelled) {
                Call call = inFlight.get(runId);
                if (call != null) {
                    call.abandon(new RunCancelledException(runId));
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not check for cancelled runs: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        calls.shutdownNow();
    }

    /** A model call in flight, with what is needed to let go of it. */
    private record Call(String runId, Instant deadline, Duration budget, CompletableFuture<ModelReply> reply, Future<?> task) {

        /** The run gets {@code reason} at once; the call's thread is interrupted, and what it returns later is dropped. */
        void abandon(RuntimeException reason) {
            if (reply.completeExceptionally(reason)) {
                task.cancel(true);
            }
        }
    }
}
