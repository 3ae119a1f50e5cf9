package io.sessionflow.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.sessionflow.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds Kafka clients with the pipeline's settings. Keys are session ids (strings); values are raw
 * bytes, parsed by {@link Topic} so that a record that does not parse can be dead-lettered as it came.
 */
public final class KafkaClients {

    private final KafkaSettings settings;
    private final MeterRegistry metrics;

    public KafkaClients(KafkaSettings settings) {
        this(settings, null);
    }

    /** @param metrics where long-lived clients report (consumer lag per partition among them); may be null */
    public KafkaClients(KafkaSettings settings, MeterRegistry metrics) {
        this.settings = Objects.requireNonNull(settings, "null kafka settings");
        this.metrics = metrics;
    }

    /** Reports a long-lived consumer's metrics (fetch rate, records lag per partition, ...); close the result with it. */
    public AutoCloseable instrument(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        if (metrics == null) {
            return () -> { };
        }
        KafkaClientMetrics binder = new KafkaClientMetrics(consumer);
        binder.bindTo(metrics);
        return binder;
    }

    public KafkaSettings settings() {
        return settings;
    }

    public Topics topics() {
        return settings.topics();
    }

    /**
     * acks=all and idempotent: a record the broker acknowledged is durable and written once. Batching
     * (linger, compression) may be tuned in {@code KAFKA_CLIENT_PROPERTIES}; the guarantees may not.
     */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putAll(base(clientId));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** A group member that commits offsets itself, only for records whose work is done. */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId) {
        Map<String, Object> config = base(clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, settings.groupProtocol());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A consumer outside any group, for readers that assign partitions themselves. */
    public KafkaConsumer<String, byte[]> standaloneConsumer(String clientId) {
        Map<String, Object> config = base(clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin() {
        return Admin.create(base("sessionflow-admin"));
    }

    private Map<String, Object> base(String clientId) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("client.id", clientId);
        return config;
    }
}
