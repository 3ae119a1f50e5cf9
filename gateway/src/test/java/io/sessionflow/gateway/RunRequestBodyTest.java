package io.sessionflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sessionflow.config.Env;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRequestBodyTest {

    private static final GatewaySettings LIMITS = GatewaySettings.read(new Env(Map.of(
            "SESSIONFLOW_MAX_MESSAGE_CHARS", "20", "SESSIONFLOW_MAX_STATE_BYTES", "40")));

    @Test
    void shouldReadEveryField() {
        RunRequestBody body = parse("""
                {"message": "hi", "session_id": "s-1", "user_id": "u_1", "session_state": {"a": 1},
                 "overwrite_session_state": true, "webhook_url": "https://example.com/hook",
                 "overrides": {"add_history_to_context": false, "num_history_runs": 3, "num_history_messages": 0,
                               "add_session_state_to_context": true}}""");

        assertThat(body).isEqualTo(new RunRequestBody("hi", "s-1", "u_1", Json.object().put("a", 1), true,
                new RunOverrides(false, 3, 0, true), "https://example.com/hook"));
    }

    @Test
    void shouldLeaveWhatIsAbsentUnset() {
        assertThat(parse("{\"message\": \"hi\"}")).isEqualTo(new RunRequestBody("hi", null, null, null, false, RunOverrides.NONE, null));
    }

    @Test
    void shouldRefuseAnUnknownFieldAtTheTopAndInTheOverrides() {
        assertRefused("{\"message\": \"hi\", \"stream\": true}", "stream", "unknown field 'stream'");
        assertRefused("{\"message\": \"hi\", \"overrides\": {\"num_runs\": 1}}", "overrides.num_runs", "unknown field 'overrides.num_runs'");
    }

    @Test
    void shouldRefuseAMissingBlankOrTooLongMessage() {
        assertRefused("{\"session_id\": \"s\"}", "message", "message is required");
        assertRefused("{\"message\": \"  \"}", "message", "message must not be empty");
        assertRefused("{\"message\": \"" + "x".repeat(21) + "\"}", "message", "message is longer than 20 characters");
    }

    @Test
    void shouldRefuseAMessageWithANulOrALoneSurrogate() {
        assertRefused("{\"message\": \"a\\u0000\"}", "message", "message contains a NUL character (\\u0000), which cannot be stored");
        assertRefused("{\"message\": \"a\\udfff\"}", "message", "message contains a lone surrogate (\\udfff), which is not valid Unicode text");
    }

    @Test
    void shouldRefuseFieldsOfTheWrongType() {
        assertRefused("{\"message\": [\"hi\"]}", "message", "message must be a string, not an array");
        assertRefused("{\"message\": \"hi\", \"session_state\": [1]}", "session_state", "session_state must be a JSON object, not an array");
        assertRefused("{\"message\": \"hi\", \"overwrite_session_state\": 1}", "overwrite_session_state",
                "overwrite_session_state must be true or false, not a number");
        assertRefused("{\"message\": \"hi\", \"overrides\": []}", "overrides", "overrides must be a JSON object");
        assertRefused("{\"message\": \"hi\", \"overrides\": {\"add_history_to_context\": \"yes\"}}", "overrides.add_history_to_context",
                "overrides.add_history_to_context must be true or false, not a string");
    }

    @Test
    void shouldRefuseHistoryCountsOutsideZeroToAThousand() {
        for (String count : new String[] {"-1", "1001", "2.5", "\"3\"", "4294967296"}) {
            assertRefused("{\"message\": \"hi\", \"overrides\": {\"num_history_runs\": " + count + "}}", "overrides.num_history_runs",
                    "overrides.num_history_runs must be a whole number from 0 to 1000");
        }
    }

    @Test
    void shouldRefuseASessionStateLargerThanItsLimit() {
        assertRefused("{\"message\": \"hi\", \"session_state\": {\"k\": \"" + "x".repeat(40) + "\"}}", "session_state",
                "session_state is larger than 40 bytes");
    }

    @Test
    void shouldAcceptOnlyAnAbsoluteHttpOrHttpsWebhookUrl() {
        for (String url : new String[] {"ftp://example.com/x", "/relative", "https://", "http://exa mple.com"}) {
            assertRefused("{\"message\": \"hi\", \"webhook_url\": \"" + url + "\"}", "webhook_url", "webhook_url must be an absolute http or https URL");
        }
    }

    private static RunRequestBody parse(String json) {
        return RunRequestBody.parse(Json.parse(json), LIMITS);
    }

    private static void assertRefused(String json, String field, String message) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> parse(json));
        assertThat(error).as(json).isNotNull();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.getMessage()).isEqualTo(message);
    }
}
