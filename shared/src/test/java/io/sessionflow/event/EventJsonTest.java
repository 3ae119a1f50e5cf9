package io.sessionflow.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final Topic<RunRequested> REQUESTS = new Topic<>("sessionflow.runs.requested", RunRequested.class);

    private static RunRequested sample() {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", "session-1", "user-1", "What is my name?")
                .withRunId("run-1").withSessionState(Json.parseObject("{\"user_name\":\"John\",\"age\":30}"), true)
                .withOverrides(new RunOverrides(true, 2, null, false)).withRequestedAt(Instant.parse("2025-01-02T03:04:05.123Z"));
    }

    private static String validJson() {
        return "{\"schema_version\":1,\"run_id\":\"run-1\",\"session_id\":\"session-1\",\"user_id\":\"user-1\","
                + "\"component_type\":\"agent\",\"component_id\":\"personal-assistant\",\"input\":{\"message\":\"hi\"}}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripRunRequestedThroughJson() throws IOException {
        RunRequested original = sample();

        RunRequested copy = Json.read(Json.toBytes(original), RunRequested.class);

        assertThat(copy).isEqualTo(original);
    }

    @Test
    void shouldRoundTripRunRequestedThroughTopic() {
        RunRequested original = sample();

        assertThat(REQUESTS.deserialize(REQUESTS.serialize(original))).isEqualTo(original);
    }

    @Test
    void shouldWriteSnakeCaseFieldNames() {
        String text = Json.toText(sample());

        assertThat(text).contains("\"run_id\"", "\"session_id\"", "\"user_id\"", "\"component_id\"",
                "\"component_type\":\"agent\"", "\"schema_version\":1", "\"overwrite_session_state\":true",
                "\"session_state\"", "\"requested_at\":\"2025-01-02T03:04:05.123Z\"", "\"add_history_to_context\":true");
        assertThat(text).doesNotContain("runId", "sessionId", "componentType", "schemaVersion", "requestedAt");
    }

    @Test
    void shouldWriteTeamComponentTypeInLowerCase() {
        RunRequested team = RunRequested.of(ComponentType.TEAM, "personal-team", "s", null, "hi").withRunId("r");

        JsonNode tree = Json.parse(Json.toText(team));

        assertThat(tree.get("component_type").asText()).isEqualTo("team");
    }

    @Test
    void shouldReadMinimalRequestWithDefaults() {
        RunRequested request = REQUESTS.deserialize(bytes(validJson()));

        assertThat(request.runId()).isEqualTo("run-1");
        assertThat(request.componentType()).isEqualTo(ComponentType.AGENT);
        assertThat(request.input().message()).isEqualTo("hi");
        assertThat(request.overrides()).isEqualTo(RunOverrides.NONE);
        assertThat(request.requestedAt()).isNotNull();
        assertThat(request.sessionState()).isNull();
        assertThat(request.overwriteSessionState()).isFalse();
    }

    @Test
    void shouldIgnoreUnknownFieldsFromNewerProducers() {
        ObjectNode node = Json.parseObject(validJson());
        node.put("some_future_field", "x");

        assertThat(REQUESTS.deserialize(bytes(node.toString())).runId()).isEqualTo("run-1");
    }

    @Test
    void shouldReadExplicitNullSessionStateAndOverridesAsAbsent() {
        ObjectNode node = Json.parseObject(validJson());
        node.putNull("session_state");
        node.putNull("overrides");

        RunRequested request = REQUESTS.deserialize(bytes(node.toString()));

        assertThat(request.sessionState()).isNull();
        assertThat(request.overrides()).isEqualTo(RunOverrides.NONE);
    }

    @Test
    void shouldRejectNonObjectSessionStateAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.putArray("session_state").add(1);

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("ObjectNode");
    }

    @Test
    void shouldRejectMalformedBytesAsPoison() {
        assertThatThrownBy(() -> REQUESTS.deserialize(bytes("{not json")))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageStartingWith("not a valid RunRequested: ");
    }

    @Test
    void shouldRejectMissingRunIdAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.remove("run_id");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("RunRequested")
                .hasMessageContaining("run_id is required");
    }

    @Test
    void shouldRejectInvalidRunIdAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.put("run_id", "'; drop table runs; --");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("run_id must be");
    }

    @Test
    void shouldRejectARunIdTooLongToDeriveMemberRunIdsFromAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.put("run_id", "r".repeat(Ids.MAX_RUN_ID_LENGTH + 1));

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("run_id must be at most 64 characters, got 65");
        node.put("run_id", "r".repeat(Ids.MAX_RUN_ID_LENGTH));
        assertThat(REQUESTS.deserialize(bytes(node.toString())).runId()).hasSize(64);
    }

    @Test
    void shouldRejectBadComponentTypeAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.put("component_type", "robot");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("component_type must be 'agent', 'team' or 'workflow', got 'robot'");
    }

    @Test
    void shouldRejectWrongSchemaVersionAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.put("schema_version", 2);

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("unsupported schema_version 2");
    }

    @Test
    void shouldRejectMissingSchemaVersionAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.remove("schema_version");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("schema_version");
    }

    @Test
    void shouldRejectMissingInputAsPoison() {
        ObjectNode node = Json.parseObject(validJson());
        node.remove("input");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(node.toString())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("input is required");
    }

    @Test
    void shouldRejectNullValueAsPoison() {
        assertThatThrownBy(() -> REQUESTS.deserialize(null))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessage("record has no value");
    }

    @Test
    void shouldAcceptValidIds() {
        assertThat(Ids.isValid("run-1")).isTrue();
        assertThat(Ids.isValid("user@example.com")).isTrue();
        assertThat(Ids.isValid("a:b_c.d-e")).isTrue();
        assertThat(Ids.isValid("x".repeat(128))).isTrue();
    }

    @Test
    void shouldRejectInvalidIds() {
        assertThat(Ids.isValid("has space")).isFalse();
        assertThat(Ids.isValid("")).isFalse();
        assertThat(Ids.isValid(null)).isFalse();
        assertThat(Ids.isValid("x".repeat(129))).isFalse();
        assertThat(Ids.isValid("'; drop table")).isFalse();
        assertThat(Ids.isValid("line\nbreak")).isFalse();
        assertThat(Ids.isValid("a/b")).isFalse();
    }

    @Test
    void shouldNameTheFieldWhenRequiringAnId() {
        assertThatThrownBy(() -> Ids.requireId(null, "session_id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("session_id is required");
        assertThatThrownBy(() -> Ids.requireId("bad id", "session_id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("session_id must be");
        assertThat(Ids.requireId("ok", "session_id")).isEqualTo("ok");
    }

    /** A producer's run request with text Postgres cannot hold is poison (dead-lettered), not a run the store fails on forever. */
    @Test
    void shouldTreatUnstorableTextInARunRequestAsPoison() {
        String nulInMessage = validJson().replace("\"message\":\"hi\"", "\"message\":\"h\\u0000i\"");
        String nulDeepInState = validJson().replace("}}", "},\"session_state\":{\"a\":[1,{\"b\":\"x\\u0000\"}]}}");
        String nulInStateKey = validJson().replace("}}", "},\"session_state\":{\"k\\u0000\":1}}");
        String loneSurrogate = validJson().replace("\"message\":\"hi\"", "\"message\":\"\\ud800hi\"");
        String nulInUser = validJson().replace("\"user-1\"", "\"u\\u0000\"");

        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(nulInMessage)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("input.message contains a NUL character");
        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(nulDeepInState)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("session_state.a[1].b contains a NUL character");
        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(nulInStateKey)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("session_state key contains a NUL character");
        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(loneSurrogate)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("input.message contains a lone surrogate (\\ud800)");
        assertThatThrownBy(() -> REQUESTS.deserialize(bytes(nulInUser)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("user_id contains a NUL character");
    }

    @Test
    void shouldKeepSurrogatePairsAndOtherUnicode() {
        assertThat(StorableText.problem("emoji \ud83d\ude00, accents \u00e9, tabs\t and newlines\n")).isEmpty();
        assertThat(StorableText.problem("trailing high \ud83d")).isPresent();
        assertThat(StorableText.problem("\ude00 leading low")).isPresent();
    }
}
