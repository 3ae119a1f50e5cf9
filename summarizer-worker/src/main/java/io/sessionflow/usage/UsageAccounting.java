package io.sessionflow.usage;

import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import io.sessionflow.store.usage.UsageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(UsageAccounting.class);

    private final KafkaStreams streams;

    public UsageAccounting(KafkaClients clients, Database database, String applicationId) {
        UsageStore store = new UsageStore();
        Clock clock = Clock.systemUTC();
        Properties config = new Properties();
        config.putAll(clients.settings().clientProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, clients.settings().bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        try {
            config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sessionflow-usage").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        this.streams = new KafkaStreams(UsageTopology.build(clients.topics(),
                window -> database.inTransaction(c -> {
                    store.save(c, List.of(window), clock.instant());
                    return null;
                })), config);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("usage stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public UsageAccounting start() {
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
    }
}
