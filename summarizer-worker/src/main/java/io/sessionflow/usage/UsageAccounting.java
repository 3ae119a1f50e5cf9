package io.sessionflow.usage;

import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.streams.ExactlyOnceStreams;
import io.sessionflow.store.Database;
import io.sessionflow.store.usage.UsageStore;
import java.time.Clock;
import java.util.List;

/**
 * Runs {@link UsageTopology} with exactly-once processing and stores each window's totals in
 * {@code usage_windows}. It lives in the summarizer-worker process, which already reads every completed
 * run off the response path; the context-worker hosts the other Streams application (memories).
 *
 * <p>The Postgres write is outside Kafka's transaction. That is safe because each write carries the
 * window's absolute total: a replay after a crash writes the same totals again, in order, and ends where
 * the aborted attempt would have. A write that fails fails the stream thread, which is replaced and
 * re-reads from the last commit, so no total is lost.
 */
public final class UsageAccounting implements AutoCloseable {

    public static final String APPLICATION_ID = "usage";

    private final ExactlyOnceStreams streams;

    public UsageAccounting(KafkaClients clients, Database database, String applicationId) {
        UsageStore store = new UsageStore();
        Clock clock = Clock.systemUTC();
        this.streams = new ExactlyOnceStreams(clients, applicationId, UsageTopology.build(clients.topics(),
                window -> database.inTransaction(c -> {
                    store.save(c, List.of(window), clock.instant());
                    return null;
                })));
    }

    public UsageAccounting start() {
        streams.start();
        return this;
    }

    @Override
    public void close() {
        streams.close();
    }
}
