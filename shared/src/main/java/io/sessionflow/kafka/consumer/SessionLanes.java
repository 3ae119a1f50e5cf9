package io.sessionflow.kafka.consumer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-ordered concurrency: tasks with the same key (session id) run one at a time, in submission
 * order; tasks with different keys run in parallel on the executor. A slow task therefore holds up
 * only its own session, never the rest of its partition.
 */
public final class SessionLanes {

    private static final Logger log = LoggerFactory.getLogger(SessionLanes.class);

    private final Executor executor;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

    public SessionLanes(Executor executor) {
        this.executor = executor;
    }

    public void submit(String key, Runnable task) {
        synchronized (waiting) {
            ArrayDeque<Runnable> lane = waiting.get(key);
            if (lane != null) {
                lane.addLast(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        try {
            executor.execute(() -> drain(key, task));
        } catch (RuntimeException e) {
            synchronized (waiting) {
                waiting.remove(key); // a lane that never started must not swallow the session's later tasks
            }
            throw e;
        }
    }

    /** Number of sessions with a task running. */
    public int activeSessions() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    private void drain(String key, Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } catch (Throwable e) {
                // Even an Error must not leave the lane marked busy: the session's later tasks would wait forever.
                log.error("task for session {} failed unexpectedly", key, e);
            } finally {
                synchronized (waiting) {
                    next = waiting.get(key).pollFirst();
                    if (next == null) {
                        waiting.remove(key);
                    }
                }
            }
        }
    }
}
