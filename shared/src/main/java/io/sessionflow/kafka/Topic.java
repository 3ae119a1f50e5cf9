package io.sessionflow.kafka;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A topic with the type of its values, so that the name string appears once (in {@link Topics}) and
 * every producer and consumer agrees on the value's JSON form.
 */
public record Topic<V>(String name, Class<V> valueType) {

    /** How long a publisher waits for the broker's acknowledgement before it reports the broker unavailable. */
    public static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    public Topic {
        Objects.requireNonNull(name, "null topic name");
        Objects.requireNonNull(valueType, "null value type");
    }

    public byte[] serialize(V value) {
        return valueType == byte[].class ? (byte[]) value : Json.toBytes(value);
    }

    /**
     * Publishes {@code value} under {@code key} and waits until the broker has it (at most {@link #PUBLISH_TIMEOUT}): what
     * the caller does next may rely on the record being on the topic.
     *
     * @throws BrokerException when the broker does not take it in time
     * @throws OperationInterruptedException when the thread is interrupted while waiting
     */
    public void publish(Producer<String, byte[]> producer, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(name, key, serialize(value))).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while publishing to " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerException("could not publish to " + name + ": " + rootMessage(e), e);
        }
    }

    /** Parses a record value; a value that does not parse or validate is a {@link PoisonRecordException}. */
    public V deserialize(byte[] bytes) {
        if (bytes == null) {
            throw new PoisonRecordException("record has no value");
        }
        if (valueType == byte[].class) {
            return valueType.cast(bytes);
        }
        try {
            return Json.read(bytes, valueType);
        } catch (IOException | RuntimeException e) {
            throw new PoisonRecordException("not a valid " + valueType.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
