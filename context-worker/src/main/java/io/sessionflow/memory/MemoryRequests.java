package io.sessionflow.memory;

import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link MemoryRequestsTopology} as a Kafka Streams application with exactly-once processing
 * ({@code exactly_once_v2}: the read offsets and the re-keyed records commit in one Kafka transaction).
 * Kafka Streams fits here and not for the extraction itself: the work is a pure, fast re-key with no
 * model call, which is what a stream thread is good at.
 */
public final class MemoryRequests implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryRequests.class);

    private final KafkaStreams streams;

    public MemoryRequests(KafkaClients clients, ComponentRegistry components, String applicationId) {
        Properties config = new Properties();
        config.putAll(clients.settings().clientProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, clients.settings().bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // Stateless topology: the state directory only holds Streams' own lock files.
        try {
            config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sessionflow-memory-requests").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        this.streams = new KafkaStreams(MemoryRequestsTopology.build(clients.topics(), components), config);
        // A failed stream thread is replaced: its uncommitted transaction is aborted and the work re-read, never lost.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("memory requests stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public MemoryRequests start() {
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
