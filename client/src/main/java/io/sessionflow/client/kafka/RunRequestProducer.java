package io.sessionflow.client.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sessionflow.client.ClientJson;
import io.sessionflow.client.SessionflowClientException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces {@link RunRequestedEvent}s to {@code runs.requested}, keyed by session id so that a session's
 * runs stay in order on one partition. acks=all and idempotent: a request the future completes for is
 * durably on the topic, once.
 */
public final class RunRequestProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    /** @param overrides further producer settings (security, client id), applied last */
    public RunRequestProducer(String bootstrapServers, SessionflowTopics topics, Map<String, Object> overrides) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config);
        this.topic = topics.runsRequested();
    }

    /** Completes when Kafka has the request. */
    public CompletableFuture<RecordMetadata> send(RunRequestedEvent request) {
        byte[] value;
        try {
            value = ClientJson.MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new SessionflowClientException("run request " + request.runId() + " cannot be written as JSON", e);
        }
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, request.sessionId(), value), (metadata, error) -> {
            if (error == null) {
                sent.complete(metadata);
            } else {
                sent.completeExceptionally(error);
            }
        });
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
