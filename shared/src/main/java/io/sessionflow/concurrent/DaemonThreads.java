package io.sessionflow.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the services' own threads: daemons (a service's {@code close()} stops its
 * work; a forgotten thread must not keep the JVM alive) with names that say whose they are in
 * thread dumps and logs.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Every thread is called {@code name}. */
    public static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    /** Threads are called {@code prefix1}, {@code prefix2}, ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> daemon(task, prefix + count.incrementAndGet());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
