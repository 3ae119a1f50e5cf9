package io.sessionflow.runworker.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    private static ObjectNode state(String text) {
        return Json.parseObject(text);
    }

    @Test
    void shouldReplacePlaceholderFromState() {
        String rendered = Placeholders.render("Users name is {user_name}", state("{\"user_name\":\"John\"}"), "u1");

        assertThat(rendered).isEqualTo("Users name is John");
    }

    @Test
    void shouldRenderNumbersPlainly() {
        String rendered = Placeholders.render("Users name is {user_name} and age is {age}",
                state("{\"user_name\":\"John\",\"age\":30}"), "u1");

        assertThat(rendered).isEqualTo("Users name is John and age is 30");
    }

    @Test
    void shouldFallBackToUserIdForUserIdPlaceholder() {
        assertThat(Placeholders.render("You are {user_id}.", state("{}"), "alice@example"))
                .isEqualTo("You are alice@example.");
    }

    @Test
    void shouldFallBackToUserIdWhenStateIsNull() {
        assertThat(Placeholders.render("You are {user_id}.", null, "alice")).isEqualTo("You are alice.");
    }

    @Test
    void shouldPreferStateKeyOverUserId() {
        assertThat(Placeholders.render("You are {user_id}.", state("{\"user_id\":\"from-state\"}"), "from-run"))
                .isEqualTo("You are from-state.");
    }

    @Test
    void shouldKeepUserIdPlaceholderWhenNoUserIdIsKnown() {
        assertThat(Placeholders.render("You are {user_id}.", state("{}"), null)).isEqualTo("You are {user_id}.");
    }

    @Test
    void shouldKeepUnknownPlaceholdersVerbatim() {
        assertThat(Placeholders.render("Hi {user_name}, your {unknown_key} is {age}", state("{\"user_name\":\"John\"}"), "u1"))
                .isEqualTo("Hi John, your {unknown_key} is {age}");
    }

    @Test
    void shouldLeaveNonIdentifierBracesUntouched() {
        ObjectNode s = state("{\"not valid\":\"X\",\"1x\":\"Y\",\"a\":{\"b\":\"Z\"},\"a.b\":\"W\"}");

        String rendered = Placeholders.render("{not valid} {1x} {a.b} {} { a } {{a}", s, "u1");

        assertThat(rendered).isEqualTo("{not valid} {1x} {a.b} {} { a } {{\"b\":\"Z\"}");
    }

    @Test
    void shouldInsertDollarAndBackslashLiterally() {
        ObjectNode s = state("{\"price\":\"$1 and $2\",\"path\":\"C:\\\\temp\\\\new\",\"group\":\"\\\\1 ${x}\"}");

        String rendered = Placeholders.render("Price {price} at {path} with {group}", s, "u1");

        assertThat(rendered).isEqualTo("Price $1 and $2 at C:\\temp\\new with \\1 ${x}");
    }

    @Test
    void shouldRenderObjectAndArrayValuesAsJson() {
        ObjectNode s = state("{\"profile\":{\"name\":\"John\",\"age\":30},\"list\":[\"milk\",\"eggs\"]}");

        String rendered = Placeholders.render("Profile: {profile}; list: {list}", s, "u1");

        assertThat(rendered).isEqualTo("Profile: {\"name\":\"John\",\"age\":30}; list: [\"milk\",\"eggs\"]");
    }

    @Test
    void shouldRenderBooleansAndDecimals() {
        assertThat(Placeholders.render("{flag} {ratio}", state("{\"flag\":true,\"ratio\":1.5}"), "u1"))
                .isEqualTo("true 1.5");
    }

    @Test
    void shouldReturnTemplateWithoutBracesUnchanged() {
        assertThat(Placeholders.render("plain text", state("{\"plain\":\"x\"}"), "u1")).isEqualTo("plain text");
    }

    @Test
    void shouldNotRenderPlaceholdersInsideReplacedValues() {
        // A value that itself looks like a placeholder is inserted as text, not expanded again.
        assertThat(Placeholders.render("{a}", state("{\"a\":\"{b}\",\"b\":\"nope\"}"), "u1")).isEqualTo("{b}");
    }
}
