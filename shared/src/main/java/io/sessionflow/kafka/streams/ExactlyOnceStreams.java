package io.sessionflow.kafka.streams;

import io.sessionflow.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams application as every service here runs one: the project's Kafka settings, one
 * stream thread, exactly-once processing ({@code exactly_once_v2}: offsets, state and output commit in
 * one Kafka transaction), reading from the earliest offset on first start, and a failed stream thread
 * replaced (its transaction is aborted and its input read again, so nothing is lost). State lives in a
 * fresh temporary directory: a restarted process restores it from the changelog topics.
 *
 * <p>kafka-streams is an optional dependency of shared: only the services that run a topology (the
 * context-worker's memory re-keying, the summarizer-worker's usage) declare it.
 */
public final class ExactlyOnceStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceStreams.class);

    private final KafkaStreams streams;

    public ExactlyOnceStreams(KafkaClients clients, String applicationId, Topology topology) {
        Properties config = new Properties();
        config.putAll(clients.settings().clientProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, clients.settings().bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        try {
            config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sessionflow-streams-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        this.streams = new KafkaStreams(topology, config);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread of {} failed; replacing it", applicationId, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public ExactlyOnceStreams start() {
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
