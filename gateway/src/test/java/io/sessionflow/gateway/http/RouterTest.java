package io.sessionflow.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.config.Env;
import io.sessionflow.gateway.auth.ApiKeys;
import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router on a real Vert.x server (no broker, no database): matching, parameter decoding, keys and errors. */
class RouterTest {

    private static final String KEY = "router-test-key";

    private static Vertx vertx;
    private static ExecutorService workers;
    private static HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        Router router = new Router(64, Authenticator.withKeys(ApiKeys.parse("user:alice=" + ApiKeys.hash(KEY), new Env(Map.of()))))
                .route("GET", "/v1/sessions/{session_id}", call -> call.respond(200,
                        Map.of("session_id", call.path("session_id"), "caller", call.principal().toString())))
                .route("GET", "/v1/sessions/{session_id}/runs/{run_id}", call -> call.respond(200,
                        Map.of("session_id", call.path("session_id"), "run_id", call.path("run_id"))))
                .route("POST", "/v1/echo", call -> call.respond(200, call.jsonBody()))
                .route("GET", "/v1/broken", call -> {
                    throw new IllegalStateException("a secret detail");
                })
                .openRoute("GET", "/health", call -> call.respond(200, Map.of("caller", call.principal().toString())));
        vertx = Vertx.vertx();
        workers = Executors.newFixedThreadPool(2);
        router.serveWith(vertx, workers);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    @Test
    void shouldMatchATemplateAndHandItsDecodedParameters() throws Exception {
        HttpResponse<String> response = get("/v1/sessions/caf%C3%A9/runs/r-1", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body())).isEqualTo(Json.object().put("session_id", "café").put("run_id", "r-1"));
    }

    @Test
    void shouldKeepAnEncodedSlashInsideItsSegmentAndAPlusAsAPlus() throws Exception {
        assertThat(Json.parse(get("/v1/sessions/a%2Fb", KEY).body()).path("session_id").asText()).isEqualTo("a/b");
        assertThat(Json.parse(get("/v1/sessions/a+b", KEY).body()).path("session_id").asText()).isEqualTo("a+b");
        assertThat(Json.parse(get("/v1/sessions/%25zz", KEY).body()).path("session_id").asText()).isEqualTo("%zz");
    }

    @Test
    void shouldAnswer404ForAnUnknownPathAnd405ForAKnownPathWithAnotherMethod() throws Exception {
        HttpResponse<String> unknown = get("/v1/nothing", KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown).path("code").asText()).isEqualTo("not_found");

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/v1/echo")).header("Authorization", "Bearer " + KEY).GET());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(error(wrongMethod).path("message").asText()).isEqualTo("GET is not allowed on /v1/echo");
    }

    @Test
    void shouldAnswer400ForAPathThatCannotBeDecoded() throws Exception {
        String answer = raw("GET /v1/sessions/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"undecodable_uri\"");
    }

    @Test
    void shouldAskForAKeyOnlyOnRoutesThatAreNotOpen() throws Exception {
        HttpResponse<String> withoutKey = get("/v1/sessions/s", null);
        assertThat(withoutKey.statusCode()).isEqualTo(401);
        assertThat(error(withoutKey).path("code").asText()).isEqualTo("unauthorized");
        assertThat(Json.parse(get("/v1/sessions/s", KEY).body()).path("caller").asText()).isEqualTo("user alice");
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer413ForABodyOverTheLimitAnd400ForMalformedJson() throws Exception {
        HttpResponse<String> echoed = post("{\"a\": 1}");
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(Json.parse(echoed.body())).isEqualTo(Json.object().put("a", 1));

        assertThat(post("{\"a\": \"" + "x".repeat(100) + "\"}").statusCode()).isEqualTo(413);
        HttpResponse<String> malformed = post("{\"a\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(error(malformed).path("code").asText()).isEqualTo("malformed_json");
    }

    @Test
    void shouldAnswerAnUnexpectedFailureAs500WithoutItsDetails() throws Exception {
        HttpResponse<String> response = get("/v1/broken", KEY);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(error(response).path("code").asText()).isEqualTo("internal_error");
        assertThat(response.body()).doesNotContain("secret");
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/echo")).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private static JsonNode error(HttpResponse<String> response) {
        return Json.parse(response.body()).path("error");
    }

    /** A request line no URI class would build, written as it is. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
