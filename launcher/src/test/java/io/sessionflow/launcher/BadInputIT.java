package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Every bad request answers 4xx with a JSON body saying what is wrong; nothing is stored or published. */
class BadInputIT {

    private final TestPipeline pipeline = TestPipeline.get();
    private final Rows rows = new Rows(pipeline.database);

    @Test
    void shouldRejectMalformedJson() {
        JsonNode error = reject("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\",", 400);
        assertThat(error.path("code").asText()).isEqualTo("malformed_json");
        assertThat(error.path("message").asText()).startsWith("the body is not valid JSON");
    }

    @Test
    void shouldRejectAMissingMessage() {
        JsonNode error = reject("/v1/agents/personal-assistant/runs", "{\"session_id\": \"s-missing\"}", 400);
        assertThat(error.path("field").asText()).isEqualTo("message");
        assertThat(error.path("message").asText()).isEqualTo("message is required");
    }

    @Test
    void shouldRejectSessionStateThatIsNotAnObject() {
        JsonNode array = reject("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\", \"session_state\": [1, 2]}", 400);
        assertThat(array.path("field").asText()).isEqualTo("session_state");
        assertThat(array.path("message").asText()).isEqualTo("session_state must be a JSON object, not an array");
        JsonNode string = reject("/v1/teams/personal-team/runs", "{\"message\": \"hi\", \"session_state\": \"John\"}", 400);
        assertThat(string.path("message").asText()).isEqualTo("session_state must be a JSON object, not a string");
    }

    @Test
    void shouldRejectUnknownAgentsAndTeams() {
        JsonNode agent = reject("/v1/agents/nobody/runs", "{\"message\": \"hi\"}", 404);
        assertThat(agent.path("code").asText()).isEqualTo("unknown_component");
        assertThat(agent.path("message").asText()).isEqualTo("unknown agent 'nobody'");
        JsonNode team = reject("/v1/teams/personal-assistant/runs", "{\"message\": \"hi\"}", 404);
        assertThat(team.path("message").asText()).isEqualTo("unknown team 'personal-assistant'");
    }

    @Test
    void shouldRejectWrongTypesUnknownFieldsAndBadIds() {
        assertThat(reject("/v1/agents/personal-assistant/runs", "{\"message\": 42}", 400).path("message").asText())
                .isEqualTo("message must be a string, not a number");
        assertThat(reject("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\", \"sesion_id\": \"typo\"}", 400).path("field").asText())
                .isEqualTo("sesion_id");
        assertThat(reject("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\", \"session_id\": \"a b; drop table runs\"}", 400)
                .path("field").asText()).isEqualTo("session_id");
        assertThat(reject("/v1/agents/personal-assistant/runs", "{\"message\": \"hi\", \"overwrite_session_state\": \"yes\"}", 400)
                .path("field").asText()).isEqualTo("overwrite_session_state");
        assertThat(reject("/v1/agents/personal-assistant/runs?wait=perhaps", "{\"message\": \"hi\"}", 400).path("field").asText())
                .isEqualTo("wait");
        assertThat(reject("/v1/agents/personal-assistant/runs", "[\"message\"]", 400).path("message").asText())
                .isEqualTo("the body must be a JSON object");
    }

    @Test
    void shouldAnswerUnknownRoutesAndRunsWithJsonErrors() {
        GatewayClient.Response missingRun = pipeline.client.get("/v1/runs/does-not-exist");
        assertThat(missingRun.status()).isEqualTo(404);
        assertThat(missingRun.body().path("error").path("message").asText()).isEqualTo("run does-not-exist not found");
        assertThat(pipeline.client.get("/v1/nothing-here").status()).isEqualTo(404);
        assertThat(pipeline.client.get("/v1/agents/personal-assistant/runs").status()).isEqualTo(405);
    }

    /** Sends the request, checks the status and that nothing was stored or published, returns the error object. */
    private JsonNode reject(String path, String body, int status) {
        long runs = rows.totalRuns();
        long sessions = rows.totalSessions();
        long published = TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name());

        GatewayClient.Response response = pipeline.client.post(path, body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().path("error").path("status").asInt()).isEqualTo(status);
        assertThat(rows.totalRuns()).isEqualTo(runs);
        assertThat(rows.totalSessions()).isEqualTo(sessions);
        assertThat(TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name())).isEqualTo(published);
        return response.body().path("error");
    }
}
