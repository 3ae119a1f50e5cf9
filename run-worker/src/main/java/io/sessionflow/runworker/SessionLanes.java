package io.sessionflow.runworker;

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
final class SessionLanes {

    private static final Logger log = LoggerFactory.getLogger(SessionLanes.class);

    private final Executor executor;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

    SessionLanes(Executor executor) {
        this.executor = executor;
    }

    void submit(String key, Runnable task) {
        synchronized (waiting) {
            ArrayDeque<Runnable> lane = waiting.get(key);
            if (lane != null) {
                lane.addLast(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        executor.execute(() -> drain(key, task));
    }

    /** Number of sessions with a task running. */
    int activeSessions() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    private void drain(String key, Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("task for session {} failed unexpectedly", key, e);
            }
            synchronized (waiting) {
                ArrayDeque<Runnable> lane = waiting.get(key);
                next = lane.pollFirst();
                if (next == null) {
                    waiting.remove(key);
                }
            }
        }
    }
}
