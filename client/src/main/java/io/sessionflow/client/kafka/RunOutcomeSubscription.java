package io.sessionflow.client.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.client.ClientJson;
import io.sessionflow.client.SessionflowClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer group's subscription to {@code runs.completed} and {@code runs.failed}, answering typed
 * {@link RunOutcome}s. A record of a schema_version newer than this client knows is refused with an
 * exception rather than misread. Not thread-safe (a Kafka consumer is not): poll from one thread.
 */
public final class RunOutcomeSubscription implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final SessionflowTopics topics;

    /**
     * @param groupId    the consumer group: its committed offsets say where a restart resumes
     * @param startFrom  where a group without offsets starts: "earliest" or "latest"
     * @param overrides  further consumer settings, applied last
     */
    public RunOutcomeSubscription(String bootstrapServers, SessionflowTopics topics, String groupId, String startFrom,
                                  Map<String, Object> overrides) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startFrom);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putAll(overrides);
        this.consumer = new KafkaConsumer<>(config);
        this.topics = topics;
        consumer.subscribe(List.of(topics.runsCompleted(), topics.runsFailed()));
    }

    /** The outcomes that arrived within {@code timeout}, in each partition's order. */
    public List<RunOutcome> poll(Duration timeout) {
        List<RunOutcome> outcomes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            outcomes.add(read(record));
        }
        return outcomes;
    }

    /** Polls until the outcome of {@code runId} arrives or {@code timeout} passes. Other outcomes polled meanwhile are dropped. */
    public Optional<RunOutcome> await(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (RunOutcome outcome : poll(Duration.ofMillis(200))) {
                if (outcome.runId().equals(runId)) {
                    return Optional.of(outcome);
                }
            }
        }
        return Optional.empty();
    }

    private RunOutcome read(ConsumerRecord<String, byte[]> record) {
        boolean completed = record.topic().equals(topics.runsCompleted());
        int known = completed ? RunCompletedEvent.SCHEMA_VERSION : RunFailedEvent.SCHEMA_VERSION;
        try {
            JsonNode json = ClientJson.MAPPER.readTree(record.value());
            int version = json.path("schema_version").asInt(0);
            if (version > known) {
                throw new SessionflowClientException("a record of " + record.topic() + " has schema_version " + version
                        + ", newer than this client reads (" + known + "): upgrade the client");
            }
            return completed ? ClientJson.MAPPER.treeToValue(json, RunCompletedEvent.class) : ClientJson.MAPPER.treeToValue(json, RunFailedEvent.class);
        } catch (IOException e) {
            throw new SessionflowClientException("an unreadable record at " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
