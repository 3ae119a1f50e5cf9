package io.sessionflow.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiShapesTest {

    @Test
    void shouldNameAgentsPlainlyOrPrefixedAndTeamsPrefixed() {
        assertThat(ModelName.parse("model", "personal-assistant")).isEqualTo(new ModelName(ComponentType.AGENT, "personal-assistant"));
        assertThat(ModelName.parse("model", "agent/personal-assistant")).isEqualTo(new ModelName(ComponentType.AGENT, "personal-assistant"));
        assertThat(ModelName.parse("model", "team/editorial-team")).isEqualTo(new ModelName(ComponentType.TEAM, "editorial-team"));
        assertThat(ModelName.of(ComponentType.TEAM, "editorial-team")).isEqualTo("team/editorial-team");
        assertThatThrownBy(() -> ModelName.parse("model", "team/")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).field()).isEqualTo("model");
    }

    @Test
    void shouldTakeTheLastUserMessageAsTheNewTurn() {
        JsonNode input = Json.parse("""
                [{"role":"user","content":"old"},{"role":"assistant","content":"answer"},
                 {"type":"message","role":"user","content":[{"type":"input_text","text":"new"},{"type":"input_text","text":"line"}]},
                 {"role":"developer","content":"be brief"}]""");
        assertThat(LastUserText.of(input, "input")).isEqualTo("new\nline");
        assertThat(LastUserText.of(Json.parse("\"plain\""), "input")).isEqualTo("plain");
        assertThatThrownBy(() -> LastUserText.of(Json.parse("[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]"), "input"))
                .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).field()).isEqualTo("input[0].content[0]");
        assertThatThrownBy(() -> LastUserText.of(Json.parse("[{\"role\":\"assistant\",\"content\":\"x\"}]"), "input"))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void shouldReadAnItemIdBackIntoItsRunAndTurn() {
        ItemView.ItemId id = new ItemView.ItemId("run_with_underscores", 3);
        assertThat(ItemView.ItemId.parse("after", id.text())).isEqualTo(id);
        assertThatThrownBy(() -> ItemView.ItemId.parse("after", "msg_run")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ItemView.ItemId.parse("after", "msg_run_0")).isInstanceOf(ApiException.class);
    }

    @Test
    void shouldWriteRefusalsInOpenAisShapeWithTheFieldAsParam() {
        JsonNode body = Json.MAPPER.valueToTree(OpenAiErrors.render(ApiException.badRequest("input", "input is required")));
        assertThat(body).isEqualTo(Json.MAPPER.valueToTree(Map.of("error", Map.of("message", "input is required",
                "type", "invalid_request_error", "param", "input", "code", "invalid_request"))));
        JsonNode unauthorized = Json.MAPPER.valueToTree(OpenAiErrors.render(new ApiException(401, "unauthorized", "no key", null)));
        assertThat(unauthorized.path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(unauthorized.path("error").get("param").isNull()).isTrue();
    }
}
