package io.sessionflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {

    private static final ObjectNode SCHEMA = (ObjectNode) Json.parse(
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}");
    private static final List<ChatMessage> PROMPT = List.of(ChatMessage.system("extract"), ChatMessage.user("I am Ann"));
    private static final Function<JsonNode, String> NAME = json -> StructuredOutput.text(json, "name");

    private static Optional<String> request(ScriptedModel model, int attempts) {
        return StructuredOutput.request(model, PROMPT, "person", SCHEMA, attempts, NAME, "test request");
    }

    @Test
    void shouldReturnParsedValueAfterOneCallWhenFirstAnswerIsValid() {
        ScriptedModel model = new ScriptedModel().then("{\"name\": \" Ann \"}");

        assertThat(request(model, 3)).contains("Ann");
        assertThat(model.calls()).isEqualTo(1);
    }

    @Test
    void shouldPassPromptSchemaNameAndSchemaToTheModel() {
        ScriptedModel model = new ScriptedModel().then("{\"name\": \"Ann\"}");

        request(model, 3);

        assertThat(model.prompts).containsExactly(PROMPT);
        assertThat(model.schemaNames).containsExactly("person");
        assertThat(model.schemas).containsExactly(SCHEMA);
    }

    @Test
    void shouldRetryWhenAnswerIsNotJson() {
        ScriptedModel model = new ScriptedModel().then("not json").then("{\"name\": \"Ann\"}");

        assertThat(request(model, 3)).contains("Ann");
        assertThat(model.calls()).isEqualTo(2);
    }

    @Test
    void shouldRetryWhenAnswerBreaksTheSchema() {
        ScriptedModel model = new ScriptedModel().then("{\"name\": 42}").then("{\"name\": \"Ann\"}");

        assertThat(request(model, 3)).contains("Ann");
        assertThat(model.calls()).isEqualTo(2);
    }

    @Test
    void shouldGiveUpWithEmptyAfterExactlyAttemptsMalformedAnswers() {
        ScriptedModel model = new ScriptedModel().then("not json").then("{\"other\": 1}").then("[1, 2")
                .then("{\"name\": \"never asked for\"}");

        assertThat(request(model, 3)).isEmpty();
        assertThat(model.calls()).isEqualTo(3);
    }

    @Test
    void shouldStopAfterOneCallOnNonTransientFailure() {
        ScriptedModel model = new ScriptedModel().then(new ModelException("bad request", false, null))
                .then("{\"name\": \"Ann\"}");

        assertThat(request(model, 3)).isEmpty();
        assertThat(model.calls()).isEqualTo(1);
    }

    @Test
    void shouldRetryTransientFailure() {
        ScriptedModel model = new ScriptedModel().then(new ModelException("rate limited", true, null))
                .then("{\"name\": \"Ann\"}");

        assertThat(request(model, 3)).contains("Ann");
        assertThat(model.calls()).isEqualTo(2);
    }

    @Test
    void shouldGiveUpAfterAttemptsTransientFailures() {
        ScriptedModel model = new ScriptedModel().then(new ModelException("timeout", true, null))
                .then(new ModelException("timeout", true, null)).then("{\"name\": \"Ann\"}");

        assertThat(request(model, 2)).isEmpty();
        assertThat(model.calls()).isEqualTo(2);
    }

    @Test
    void shouldNotCallTheModelWhenAttemptsIsZero() {
        ScriptedModel model = new ScriptedModel().then("{\"name\": \"Ann\"}");

        assertThat(request(model, 0)).isEmpty();
        assertThat(model.calls()).isZero();
    }

    @Test
    void shouldReturnStrippedTextField() {
        assertThat(StructuredOutput.text(Json.parse("{\"a\": \"  hi \"}"), "a")).isEqualTo("hi");
    }

    @Test
    void shouldRejectMissingBlankOrNonStringTextField() {
        for (String json : List.of("{}", "{\"a\": null}", "{\"a\": \"   \"}", "{\"a\": 3}", "{\"a\": [\"x\"]}", "{\"a\": {}}")) {
            assertThatThrownBy(() -> StructuredOutput.text(Json.parse(json), "a")).as(json)
                    .isInstanceOf(ModelOutputException.class)
                    .hasMessageContaining("'a'");
        }
    }

    @Test
    void shouldReadOptionalTextAsNullWhenMissingOrNull() {
        assertThat(StructuredOutput.optionalText(Json.parse("{}"), "goal")).isNull();
        assertThat(StructuredOutput.optionalText(Json.parse("{\"goal\": null}"), "goal")).isNull();
    }

    @Test
    void shouldReadOptionalTextStripped() {
        assertThat(StructuredOutput.optionalText(Json.parse("{\"goal\": \" Ship \"}"), "goal")).isEqualTo("Ship");
    }

    @Test
    void shouldRejectNonStringOptionalText() {
        assertThatThrownBy(() -> StructuredOutput.optionalText(Json.parse("{\"goal\": 1}"), "goal"))
                .isInstanceOf(ModelOutputException.class);
    }

    @Test
    void shouldReadOptionalStringsAsNullWhenMissingOrNull() {
        assertThat(StructuredOutput.optionalStrings(Json.parse("{}"), "plan")).isNull();
        assertThat(StructuredOutput.optionalStrings(Json.parse("{\"plan\": null}"), "plan")).isNull();
    }

    @Test
    void shouldRejectOptionalStringsThatAreNotAnArray() {
        assertThatThrownBy(() -> StructuredOutput.optionalStrings(Json.parse("{\"plan\": \"a, b\"}"), "plan"))
                .isInstanceOf(ModelOutputException.class)
                .hasMessageContaining("'plan'");
    }

    @Test
    void shouldRejectOptionalStringsWithNonStringItems() {
        assertThatThrownBy(() -> StructuredOutput.optionalStrings(Json.parse("{\"plan\": [\"a\", 2]}"), "plan"))
                .isInstanceOf(ModelOutputException.class);
        assertThatThrownBy(() -> StructuredOutput.optionalStrings(Json.parse("{\"plan\": [\"a\", null]}"), "plan"))
                .isInstanceOf(ModelOutputException.class);
    }

    @Test
    void shouldDropBlankItemsAndStripTheOthers() {
        assertThat(StructuredOutput.optionalStrings(Json.parse("{\"plan\": [\" a \", \"\", \"  \", \"b\"]}"), "plan"))
                .containsExactly("a", "b");
    }

    @Test
    void shouldReadEmptyArrayAsEmptyListNotNull() {
        assertThat(StructuredOutput.optionalStrings(Json.parse("{\"plan\": []}"), "plan")).isNotNull().isEmpty();
    }
}
