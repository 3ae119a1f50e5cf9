package io.sessionflow.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class JsonFieldsTest {

    @Test
    void shouldRefuseABodyThatIsNotAnObject() {
        ApiException error = refused(() -> JsonFields.object(Json.parse("[1]"), Set.of("a")));
        assertThat(error.field()).isNull();
        assertThat(error.getMessage()).isEqualTo("the body must be a JSON object");
    }

    @Test
    void shouldRefuseAnUnknownFieldByName() {
        ApiException error = refused(() -> JsonFields.object(Json.parse("{\"a\": 1, \"b\": 2}"), Set.of("a")));
        assertThat(error.field()).isEqualTo("b");
        assertThat(error.getMessage()).isEqualTo("unknown field 'b'");
    }

    @Test
    void shouldNameTheTypeGivenWhenAStringWasExpected() {
        ObjectNode body = object("{\"m\": 42, \"n\": [], \"o\": true}");
        assertThat(refused(() -> JsonFields.requiredText(body, "m")).getMessage()).isEqualTo("m must be a string, not a number");
        assertThat(refused(() -> JsonFields.requiredText(body, "n")).getMessage()).isEqualTo("n must be a string, not an array");
        assertThat(refused(() -> JsonFields.optionalText(body, "o", 10)).getMessage()).isEqualTo("o must be a string, not a boolean");
    }

    @Test
    void shouldRequireARequiredTextThatIsAbsentOrNull() {
        assertThat(refused(() -> JsonFields.requiredText(object("{}"), "m")).getMessage()).isEqualTo("m is required");
        assertThat(refused(() -> JsonFields.requiredText(object("{\"m\": null}"), "m")).getMessage()).isEqualTo("m is required");
    }

    @Test
    void shouldRefuseTextPostgresCannotHold() {
        ApiException nul = refused(() -> JsonFields.requiredText(object("{\"m\": \"a\\u0000b\"}"), "m"));
        assertThat(nul.field()).isEqualTo("m");
        assertThat(nul.getMessage()).contains("NUL");
        ApiException surrogate = refused(() -> JsonFields.optionalText(object("{\"m\": \"a\\ud800b\"}"), "m", 100));
        assertThat(surrogate.getMessage()).contains("lone surrogate (\\ud800)");
        ApiException nested = refused(() -> JsonFields.optionalObject(object("{\"s\": {\"k\": \"\\udc00\"}}"), "s", 1000));
        assertThat(nested.getMessage()).contains("lone surrogate");
    }

    @Test
    void shouldAcceptAPairedSurrogate() {
        assertThat(JsonFields.requiredText(object("{\"m\": \"\\ud83d\\ude00\"}"), "m")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void shouldRefuseTextLongerThanItsLimit() {
        assertThat(JsonFields.optionalText(object("{\"u\": \"abc\"}"), "u", 3)).isEqualTo("abc");
        assertThat(refused(() -> JsonFields.optionalText(object("{\"u\": \"abcd\"}"), "u", 3)).getMessage())
                .isEqualTo("u is longer than 3 characters");
    }

    @Test
    void shouldRefuseAnObjectLargerThanItsLimitOnceSerialized() {
        ObjectNode body = object("{\"s\": {\"k\": \"0123456789\"}}");
        assertThat(JsonFields.optionalObject(body, "s", 100)).isEqualTo(Json.object().put("k", "0123456789"));
        assertThat(refused(() -> JsonFields.optionalObject(body, "s", 10)).getMessage()).isEqualTo("s is larger than 10 bytes");
        assertThat(refused(() -> JsonFields.optionalObject(object("{\"s\": \"x\"}"), "s", 10)).getMessage())
                .isEqualTo("s must be a JSON object, not a string");
    }

    @Test
    void shouldAcceptOnlyValidIds() {
        assertThat(JsonFields.optionalId(object("{\"id\": \"user_1.a:b@c-d\"}"), "id")).isEqualTo("user_1.a:b@c-d");
        assertThat(JsonFields.optionalId(object("{}"), "id")).isNull();
        for (String bad : new String[] {"{\"id\": \"\"}", "{\"id\": \"a b\"}", "{\"id\": 7}", "{\"id\": \"" + "x".repeat(129) + "\"}"}) {
            assertThat(refused(() -> JsonFields.optionalId(object(bad), "id")).field()).as(bad).isEqualTo("id");
        }
    }

    @Test
    void shouldReadABooleanOnlyFromTrueOrFalse() {
        assertThat(JsonFields.optionalBoolean(object("{\"f\": true}"), "f", "f")).isTrue();
        assertThat(JsonFields.optionalBoolean(object("{}"), "f", "f")).isFalse();
        assertThat(refused(() -> JsonFields.optionalBoolean(object("{\"f\": \"true\"}"), "f", "outer.f")).getMessage())
                .isEqualTo("outer.f must be true or false, not a string");
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.parse(json);
    }

    private static ApiException refused(Executable read) {
        ApiException error = catchThrowableOfType(ApiException.class, read::execute);
        assertThat(error).isNotNull();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_request");
        return error;
    }
}
