package io.sessionflow.kafka;

import io.sessionflow.json.Json;
import java.io.IOException;
import java.util.Objects;

/**
 * A topic with the type of its values, so that the name string appears once (in {@link Topics}) and
 * every producer and consumer agrees on the value's JSON form.
 */
public record Topic<V>(String name, Class<V> valueType) {

    public Topic {
        Objects.requireNonNull(name, "null topic name");
        Objects.requireNonNull(valueType, "null value type");
    }

    public byte[] serialize(V value) {
        return valueType == byte[].class ? (byte[]) value : Json.toBytes(value);
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
