package io.sessionflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topics are a public contract: external producers and consumers read these records by
 * schema_version. Each record's wire shape at each schema_version is snapshotted under
 * src/test/resources/event-schemas/; a field removed, renamed or retyped without a new
 * SCHEMA_VERSION fails here. An added field is compatible (readers ignore unknown fields), and so is
 * an enum that gains a value (readers accept values they do not know, as the AsyncAPI document says);
 * an enum that loses one is not.
 * A new version's snapshot is written by running this test with -Devent-schemas.write=true.
 */
class EventSchemaCompatibilityTest {

    private static final Path SNAPSHOTS = Path.of("src", "test", "resources", "event-schemas");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Stream<Class<? extends Record>> publicEvents() {
        return Stream.of(RunRequested.class, RunCompleted.class, RunFailed.class, RunEvent.class, SummaryUpdated.class, ContextUpdated.class,
                MemoriesUpdated.class, ReprocessSession.class, RunPaused.class, RunContinuation.class);
    }

    @ParameterizedTest
    @MethodSource("publicEvents")
    void shouldKeepEveryFieldOfTheSnapshotAtTheSameSchemaVersion(Class<? extends Record> event) throws Exception {
        int version = event.getField("SCHEMA_VERSION").getInt(null);
        Path snapshot = SNAPSHOTS.resolve(event.getSimpleName() + ".v" + version + ".json");
        Map<String, String> now = EventShape.of(event);
        if (Boolean.getBoolean("event-schemas.write") && !Files.exists(snapshot)) {
            Files.createDirectories(SNAPSHOTS);
            MAPPER.writeValue(snapshot.toFile(), now);
        }
        assertThat(snapshot).as(event.getSimpleName() + " schema_version " + version + " has no snapshot: run this test with "
                + "-Devent-schemas.write=true and commit " + snapshot).exists();

        assertThat(incompatibilities(read(snapshot), now))
                .as(event.getSimpleName() + " changed incompatibly but keeps schema_version " + version
                        + ": raise SCHEMA_VERSION (readers branch on it) and snapshot the new shape")
                .isEmpty();
    }

    static List<String> incompatibilities(Map<String, String> snapshot, Map<String, String> now) {
        List<String> problems = new ArrayList<>();
        snapshot.forEach((field, type) -> {
            if (!now.containsKey(field)) {
                problems.add("field " + field + " (" + type + ") is gone");
            } else if (!now.get(field).equals(type) && !widens(type, now.get(field))) {
                problems.add("field " + field + " was " + type + ", is " + now.get(field));
            }
        });
        return problems;
    }

    /** Whether an enum only gained values: {@code enum[a, b]} to {@code enum[a, b, c]}. */
    private static boolean widens(String before, String after) {
        if (!before.startsWith("enum[") || !after.startsWith("enum[")) {
            return false;
        }
        return values(after).containsAll(values(before));
    }

    private static List<String> values(String enumType) {
        return List.of(enumType.substring("enum[".length(), enumType.length() - 1).split(", "));
    }

    @org.junit.jupiter.api.Test
    void shouldAcceptAnEnumThatGainsAValueAndRefuseOneThatLosesOne() {
        assertThat(incompatibilities(Map.of("kind", "enum[agent, team]"), Map.of("kind", "enum[agent, team, workflow]"))).isEmpty();
        assertThat(incompatibilities(Map.of("kind", "enum[agent, team]"), Map.of("kind", "enum[agent]"))).hasSize(1);
        assertThat(incompatibilities(Map.of("kind", "enum[agent, team]"), Map.of("kind", "string"))).hasSize(1);
    }

    private static Map<String, String> read(Path snapshot) throws IOException {
        return MAPPER.readValue(snapshot.toFile(), new TypeReference<>() { });
    }
}
