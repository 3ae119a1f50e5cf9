package io.sessionflow.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A {@code text/event-stream} response: server-sent events, written one at a time as a chunked
 * response. Between events the stream holds no thread: {@link #follow} runs one short step on the
 * worker pool, then a timer schedules the next.
 */
public final class EventStream {

    /** How often a followed source is asked for new events: the most an event waits before it is sent. */
    private static final long STEP_INTERVAL_MILLIS = 50;

    /** One non-blocking look for new events, sent with {@link #send}; returns false once the stream is done. */
    @FunctionalInterface
    public interface Step {
        boolean next() throws Exception;
    }

    private final HttpServerResponse response;
    private final Vertx vertx;
    private final Executor workers;
    private final Consumer<Throwable> failure;
    private volatile boolean open = true;
    private Runnable onEnd;
    private volatile long deadlineTimer = -1;

    EventStream(HttpServerResponse response, Vertx vertx, Executor workers, Consumer<Throwable> failure) {
        this.response = response;
        this.vertx = vertx;
        this.workers = workers;
        this.failure = failure;
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        response.closeHandler(closed -> open = false);
        response.exceptionHandler(error -> open = false);
        response.writeHead();
    }

    /** @return false once the client has gone away (or the stream was ended) */
    public synchronized boolean send(long id, String event, String data) {
        if (!open) {
            return false;
        }
        StringBuilder frame = new StringBuilder().append("id: ").append(id).append('\n').append("event: ").append(event).append('\n');
        data.lines().forEach(line -> frame.append("data: ").append(line).append('\n'));
        response.write(Buffer.buffer(frame.append('\n').toString()));
        return true;
    }

    /** An event with neither id nor name, only data: the shape of OpenAI's chat completion chunks. @return false once the client has gone away */
    public synchronized boolean sendData(String data) {
        if (!open) {
            return false;
        }
        response.write(Buffer.buffer("data: " + data + "\n\n"));
        return true;
    }

    /**
     * For events pushed from elsewhere ({@link #send} may be called from any thread): ends the response by
     * {@code deadline} at the latest, and runs {@code cleanup} once, when the stream is ended (by
     * {@link #end}, the deadline, or the client going away).
     */
    public void endBy(java.time.Instant deadline, Runnable cleanup) {
        onEnd = cleanup;
        response.closeHandler(closed -> {
            open = false;
            runCleanup();
        });
        long millis = Math.max(1, java.time.Duration.between(java.time.Instant.now(), deadline).toMillis());
        try {
            deadlineTimer = vertx.setTimer(millis, timer -> end());
        } catch (RuntimeException shuttingDown) {
            end();
        }
        if (response.closed()) {
            end(); // gone before the handler above was there to hear it
        }
    }

    /** Whether the client is behind: its write queue is full. */
    public boolean backlogged() {
        return response.writeQueueFull();
    }

    /**
     * Ends the response (if the client is still there) and runs the cleanup given to {@link #endBy}. The
     * cleanup runs outside this stream's lock: it may take the lock of whoever sends (no lock-order cycle).
     */
    public void end() {
        synchronized (this) {
            if (open) {
                open = false;
                response.end();
            }
        }
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
        }
        runCleanup();
    }

    private void runCleanup() {
        Runnable cleanup;
        synchronized (this) {
            cleanup = onEnd;
            onEnd = null;
        }
        if (cleanup != null) {
            cleanup.run();
        }
    }

    /**
     * Repeats {@code step} until it returns false, fails, or the client goes away; then ends the
     * response and runs {@code cleanup}. A client slower than the events is not written more until
     * it has caught up.
     */
    public void follow(Step step, Runnable cleanup) {
        try {
            workers.execute(() -> step(step, cleanup));
        } catch (RejectedExecutionException shuttingDown) {
            cleanup.run();
        }
    }

    private void step(Step step, Runnable cleanup) {
        boolean more;
        try {
            more = open && (response.writeQueueFull() || step.next());
        } catch (Exception e) {
            cleanup.run();
            failure.accept(e);
            return;
        }
        if (more && open) {
            try {
                vertx.setTimer(STEP_INTERVAL_MILLIS, timer -> follow(step, cleanup));
                return;
            } catch (RuntimeException shuttingDown) {
                // the gateway is closing: end the stream below
            }
        }
        cleanup.run();
        end();
    }
}
