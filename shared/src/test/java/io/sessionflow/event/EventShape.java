package io.sessionflow.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire shape of an event record, as Json writes it: each snake_case field with its JSON type
 * ({@code integer}, {@code string}, {@code date-time}, {@code json}, {@code array<...>}, a nested
 * record's fields as {@code name.field}, an enum's values). Flat and sorted, so that it is a small,
 * readable snapshot and two shapes compare field by field.
 */
final class EventShape {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private EventShape() {
    }

    static Map<String, String> of(Class<? extends Record> record) {
        Map<String, String> fields = new TreeMap<>();
        add(fields, "", record);
        return fields;
    }

    private static void add(Map<String, String> fields, String prefix, Class<?> record) {
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            String name = prefix + SNAKE.translate(component.getName());
            Class<?> raw = component.getType();
            if (raw.isRecord()) {
                fields.put(name, "object");
                add(fields, name + ".", raw);
            } else {
                fields.put(name, type(component.getGenericType()));
            }
        }
    }

    private static String type(Type type) {
        if (type instanceof ParameterizedType parameterized && Collection.class.isAssignableFrom((Class<?>) parameterized.getRawType())) {
            return "array<" + type(parameterized.getActualTypeArguments()[0]) + ">";
        }
        Class<?> raw = (Class<?>) (type instanceof ParameterizedType parameterized ? parameterized.getRawType() : type);
        if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            return "integer";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw == String.class) {
            return "string";
        }
        if (raw == Instant.class) {
            return "date-time";
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return "json";
        }
        if (raw.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                values.add(constant.toString().toLowerCase(java.util.Locale.ROOT));
            }
            return "enum" + values;
        }
        if (raw.isRecord()) {
            return "object";
        }
        throw new IllegalArgumentException("no JSON type known for " + type + ": teach EventShape");
    }
}
