package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.json.Json;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Every bad request answers 4xx with a JSON body saying what is wrong; nothing is stored or published. */
@PipelineIT
class BadInputIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    BadInputIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

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

    private static final String RUNS = "/v1/agents/personal-assistant/runs";

    @Test
    void shouldRefuseNulCharactersNamingTheField() {
        assertThat(reject(RUNS, "{\"message\": \"h\\u0000i\"}", 400).path("field").asText()).isEqualTo("message");
        JsonNode nested = reject(RUNS, "{\"message\": \"hi\", \"session_state\": {\"a\": [1, {\"b\": \"x\\u0000\"}]}}", 400);
        assertThat(nested.path("field").asText()).isEqualTo("session_state");
        assertThat(nested.path("message").asText()).isEqualTo("session_state.a[1].b contains a NUL character (\\u0000), which cannot be stored");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_state\": {\"k\\u0000\": 1}}", 400).path("field").asText()).isEqualTo("session_state");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"user_id\": \"u\\u0000\"}", 400).path("field").asText()).isEqualTo("user_id");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_id\": \"s\\u0000\"}", 400).path("field").asText()).isEqualTo("session_id");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"webhook_url\": \"http://example.com/\\u0000\"}", 400).path("field").asText())
                .isEqualTo("webhook_url");
        String session = "{\"component_type\": \"agent\", \"component_id\": \"personal-assistant\", ";
        assertThat(reject("POST", "/v1/sessions", session + "\"session_name\": \"n\\u0000\"}", 400).path("field").asText()).isEqualTo("session_name");
        assertThat(reject("POST", "/v1/sessions", session + "\"metadata\": {\"m\": [\"\\u0000\"]}}", 400).path("field").asText()).isEqualTo("metadata");
        assertThat(reject("PATCH", "/v1/sessions/no-such-session", "{\"session_name\": \"\\u0000\"}", 400).path("field").asText())
                .isEqualTo("session_name");
        assertThat(reject("GET", "/v1/sessions?session_name=a%00b", null, 400).path("code").asText()).isEqualTo("undecodable_uri");
    }

    /** Jackson would silently store a lone surrogate as '?': refused instead, like NUL. */
    @Test
    void shouldRefuseLoneSurrogatesNamingTheField() {
        JsonNode alone = reject(RUNS, "{\"message\": \"\\ud800 alone\"}", 400);
        assertThat(alone.path("field").asText()).isEqualTo("message");
        assertThat(alone.path("message").asText()).isEqualTo("message contains a lone surrogate (\\ud800), which is not valid Unicode text");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_state\": {\"s\": \"\\udc00\"}}", 400).path("field").asText()).isEqualTo("session_state");
        assertThat(reject("PATCH", "/v1/sessions/no-such-session", "{\"session_state\": {\"k\": [\"\\ud83d\"]}}", 400).path("field").asText())
                .isEqualTo("session_state");
        // In a key, the JSON parser itself refuses a broken pair.
        assertThat(reject("PATCH", "/v1/sessions/no-such-session", "{\"session_state\": {\"\\ud83d\": 1}}", 400).path("code").asText())
                .isEqualTo("malformed_json");
    }

    @Test
    void shouldRefuseDeepNestingWithoutOverflowingTheStack() {
        String arrays = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_state\": {\"deep\": " + arrays + "}}", 400).path("code").asText())
                .isEqualTo("malformed_json");
        String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_state\": " + objects + "}", 400).path("code").asText()).isEqualTo("malformed_json");
        assertThat(reject(RUNS, arrays, 400).path("code").asText()).isEqualTo("malformed_json");
    }

    @Test
    void shouldRefuseOversizedIdsAndBodies() {
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_id\": \"" + "s".repeat(129) + "\"}", 400).path("field").asText()).isEqualTo("session_id");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"user_id\": \"" + "u".repeat(10_000) + "\"}", 400).path("field").asText()).isEqualTo("user_id");
        assertThat(reject(RUNS, "{\"message\": \"" + "m".repeat(100_001) + "\"}", 400).path("field").asText()).isEqualTo("message");
        assertThat(reject(RUNS, "{\"message\": \"hi\", \"session_state\": {\"big\": \"" + "b".repeat(300_000) + "\"}}", 400).path("field").asText())
                .isEqualTo("session_state");
        assertThat(reject(RUNS, "{\"message\": \"" + "m".repeat(2 << 20) + "\"}", 413).path("code").asText()).isEqualTo("body_too_large");
        assertThat(reject("GET", "/v1/runs/" + "r".repeat(5000), null, 400).path("code").asText()).isEqualTo("invalid_request");
        assertThat(reject("GET", "/v1/sessions/" + "s".repeat(129), null, 400).path("field").asText()).isEqualTo("session_id");
        assertThat(reject("DELETE", "/v1/sessions/" + "s".repeat(129), null, 400).path("field").asText()).isEqualTo("session_id");
    }

    /** Before, the path was decoded twice: "%25zz" threw out of the handler and the connection closed without an answer. */
    @Test
    void shouldAnswerUndecodablePathsWith400Json() throws Exception {
        for (String path : List.of("/v1/runs/%25zz", "/v1/runs/%E0%A4", "/v1/runs/%C0%AF", "/v1/runs/%ED%A0%80", "/v1/runs/a%00b",
                "/v1/sessions/%FF", "/v1/sessions?session_name=%E0%A4", "/v1/sessions?%FF=1", "/v1/nothing/%E0")) {
            RawResponse response = raw("GET " + path);
            assertThat(response.status()).as(path).isBetween(400, 404);
            assertThat(Json.parse(response.body()).path("error").path("status").asInt()).as(path).isEqualTo(response.status());
        }
        assertThat(Json.parse(raw("GET /v1/runs/%E0%A4").body()).path("error").path("code").asText()).isEqualTo("undecodable_uri");
        // "%25zz" is decoded once, to the id "%zz", which is refused as an id.
        assertThat(Json.parse(raw("GET /v1/runs/%25zz").body()).path("error").path("message").asText()).contains("run_id");
        // A request target that is not even a URI reaches the router too, and is answered in JSON like the rest.
        RawResponse notAUri = raw("GET /v1/runs/%zz");
        assertThat(notAUri.status()).isEqualTo(400);
        assertThat(Json.parse(notAUri.body()).path("error").path("code").asText()).isEqualTo("undecodable_uri");
    }

    @Test
    void shouldKeepAPlusInAPathSegment() {
        GatewayClient.Response response = pipeline.client.get("/v1/sessions/a+b");
        assertThat(response.status()).isEqualTo(400); // '+' is no id character: it reached the check as itself, not as a space
        assertThat(response.body().path("error").path("message").asText()).startsWith("session_id must be");
        assertThat(pipeline.client.get("/v1/runs/a+b").body().path("error").path("message").asText()).doesNotContain("a b");
    }

    @Test
    void shouldRefuseBodiesThatAreNotJson() {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml")) {
            JsonNode error = reject("POST", RUNS, "{\"message\": \"hi\"}", 415, Map.of("Content-Type", type));
            assertThat(error.path("code").asText()).isEqualTo("unsupported_media_type");
        }
        assertThat(pipeline.client.send("POST", "/v1/sessions", "{}", Map.of("Content-Type", "application/json; charset=utf-8")).status())
                .isEqualTo(400); // JSON with a charset is JSON: refused for its content, not its type
    }

    @Test
    void shouldRefuseBodiesThatAreNotObjects() {
        for (String body : List.of("[]", "[{\"message\": \"hi\"}]", "\"hi\"", "42", "null", "true", "")) {
            assertThat(reject(RUNS, body, 400).path("code").asText()).as(body).isIn("invalid_request", "malformed_json");
            assertThat(reject("POST", "/v1/sessions", body, 400).path("status").asInt()).as(body).isEqualTo(400);
            assertThat(reject("PATCH", "/v1/sessions/no-such-session", body, 400).path("status").asInt()).as(body).isEqualTo(400);
            assertThat(reject("DELETE", "/v1/sessions", body, 400).path("status").asInt()).as(body).isEqualTo(400);
            assertThat(reject("POST", "/v1/reprocess", body, 400).path("status").asInt()).as(body).isEqualTo(400);
        }
    }

    @Test
    void shouldRefuseOutOfRangePaging() {
        for (String query : List.of("page=-1", "page=0", "limit=0", "limit=101", "limit=-5", "page=99999999999", "limit=1e2", "page=", "page=1.5")) {
            assertThat(reject("GET", "/v1/sessions?" + query, null, 400).path("field").asText()).as(query).isIn("page", "limit");
            assertThat(reject("GET", "/v1/sessions/no-such-session/runs?" + query, null, 400).path("field").asText()).as(query).isIn("page", "limit");
        }
    }

    /** Every filter is bound as a parameter: SQL in a typed filter is a 400, in the free-text name it matches nothing. */
    @Test
    void shouldTreatSqlInEveryFilterAsPlainData() {
        String sql = URLEncoder.encode("x' OR '1'='1'; DROP TABLE sessions; --", StandardCharsets.UTF_8);
        for (String filter : List.of("user_id", "session_type", "component_id", "from", "to", "sort_by", "sort_order", "page", "limit")) {
            assertThat(reject("GET", "/v1/sessions?" + filter + "=" + sql, null, 400).path("field").asText()).as(filter).isEqualTo(filter);
        }
        assertThat(reject("GET", "/v1/sessions?" + sql + "=1", null, 400).path("message").asText()).startsWith("unknown query parameter");
        GatewayClient.Response byName = pipeline.client.get("/v1/sessions?session_name=" + sql);
        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.body().path("total").asLong()).isZero();
    }

    /** An external producer's request with a NUL is dead-lettered with the reason at once, not retried forever. */
    @Test
    void shouldDeadLetterARunRequestHoldingANulFromAProducer() {
        String session = "nul-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        String value = "{\"schema_version\":1,\"run_id\":\"" + runId + "\",\"session_id\":\"" + session + "\",\"user_id\":\"user_1\","
                + "\"component_type\":\"agent\",\"component_id\":\"personal-assistant\",\"input\":{\"message\":\"hi\"},"
                + "\"session_state\":{\"name\":\"J\\u0000hn\"}}";
        String after = UUID.randomUUID().toString();
        String good = value.replace(runId, after).replace("J\\u0000hn", "John");
        String topic = pipeline.kafka.topics().runsRequested().name();
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("bad-input-test")) {
            producer.send(new ProducerRecord<>(topic, session, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, session, good.getBytes(StandardCharsets.UTF_8)));
        }

        Eventually.await("the run after the poison completes", Duration.ofSeconds(60),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", after)));
        ConsumerRecord<String, byte[]> letter = TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsDeadLetter().name(),
                Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> session.equals(r.key()))).stream()
                .filter(r -> session.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader("sessionflow.dlq.reason").value(), StandardCharsets.UTF_8))
                .contains("session_state.name contains a NUL character");
        assertThat(rows.count("SELECT count(*) FROM runs WHERE run_id = ?", runId)).isZero();
        assertThat(rows.sessionState(session).path("name").asText()).isEqualTo("John");
    }

    private record RawResponse(int status, String body) {
    }

    /** A request written byte for byte: java.net.URI refuses to build these targets at all. */
    private RawResponse raw(String requestLine) throws Exception {
        long runs = rows.totalRuns();
        long sessions = rows.totalSessions();
        URI gateway = URI.create(pipeline.gateway.url());
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\nAuthorization: Bearer "
                    + TestPipeline.ADMIN_KEY + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).as("an answer to " + requestLine).startsWith("HTTP/1.1 ");
            assertThat(rows.totalRuns()).isEqualTo(runs);
            assertThat(rows.totalSessions()).isEqualTo(sessions);
            return new RawResponse(Integer.parseInt(answer.substring(9, 12)), answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private JsonNode reject(String path, String body, int status) {
        return reject("POST", path, body, status);
    }

    private JsonNode reject(String method, String path, String body, int status) {
        return reject(method, path, body, status, Map.of());
    }

    /** Sends the request, checks the status, the JSON error, and that nothing was stored or published; returns the error object. */
    private JsonNode reject(String method, String path, String body, int status, Map<String, String> headers) {
        long runs = rows.totalRuns();
        long sessions = rows.totalSessions();
        long published = TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name());

        GatewayClient.Response response = pipeline.client.send(method, path, body, headers);

        assertThat(response.status()).as(method + " " + path).isEqualTo(status);
        assertThat(response.body().path("error").path("status").asInt()).isEqualTo(status);
        assertThat(response.body().path("error").path("message").asText()).isNotEmpty();
        assertThat(rows.totalRuns()).isEqualTo(runs);
        assertThat(rows.totalSessions()).isEqualTo(sessions);
        assertThat(TopicReader.endOffsetSum(pipeline.kafka, pipeline.kafka.topics().runsRequested().name())).isEqualTo(published);
        return response.body().path("error");
    }
}
