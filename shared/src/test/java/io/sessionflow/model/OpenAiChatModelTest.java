package io.sessionflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.config.ModelSettings;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {

    private static final String COMPLETION = """
            {
              "id": "chatcmpl-123",
              "object": "chat.completion",
              "created": 1700000000,
              "model": "test-model",
              "choices": [
                {
                  "index": 0,
                  "message": {"role": "assistant", "content": "Your name is John.", "refusal": null},
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49}
            }
            """;

    private static final String ERROR_BODY = """
            {"error": {"message": "boom", "type": "server_error", "param": null, "code": null}}
            """;

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> responseBody = new AtomicReference<>(COMPLETION);
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private record Request(String method, String path, String authorization, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            byte[] response = responseBody.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", responseBody.get().startsWith("data:") ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(status.get(), response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
    }

    private OpenAiChatModel model() {
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        return new OpenAiChatModel("test-model", new ModelSettings("local", baseUrl, "sk-test", Duration.ofSeconds(10), 0));
    }

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("Users name is John"),
            ChatMessage.user("Hello"),
            ChatMessage.assistant("Hi!"),
            ChatMessage.user("What is my name?"));

    @Test
    void shouldReportOpenAiSpecAsId() {
        assertThat(model().id()).isEqualTo("openai:test-model");
    }

    @Test
    void shouldSendModelAndMessagesInOrder() {
        model().complete(CONVERSATION);

        assertThat(requests).hasSize(1);
        Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        JsonNode body = Json.parse(request.body());
        assertThat(body.get("model").asText()).isEqualTo("test-model");
        JsonNode messages = body.get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("Users name is John");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Hello");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("Hi!");
        assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("What is my name?");
    }

    @Test
    void shouldSendApiKeyAsBearerToken() {
        model().complete(CONVERSATION);

        assertThat(requests.get(0).authorization()).isEqualTo("Bearer sk-test");
    }

    @Test
    void shouldReturnReplyContentAndTokenCounts() {
        ModelReply reply = model().complete(CONVERSATION);

        assertThat(reply).isEqualTo(new ModelReply("Your name is John.", 42, 7));
    }

    @Test
    void shouldReportServerErrorAsTransient() {
        status.set(500);
        responseBody.set(ERROR_BODY);

        ModelException e = catchThrowableOfType(ModelException.class, () -> model().complete(CONVERSATION));

        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("test-model");
        assertThat(requests).hasSize(1); // maxRetries 0: exactly one attempt
    }

    @Test
    void shouldReportRateLimitAsTransient() {
        status.set(429);
        responseBody.set(ERROR_BODY);

        ModelException e = catchThrowableOfType(ModelException.class, () -> model().complete(CONVERSATION));

        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void shouldReportBadRequestAsPermanent() {
        status.set(400);
        responseBody.set(ERROR_BODY);

        ModelException e = catchThrowableOfType(ModelException.class, () -> model().complete(CONVERSATION));

        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("test-model").contains("rejected");
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldReportUnreachableServerAsTransient() {
        OpenAiChatModel model = model();
        server.stop(0);

        ModelException e = catchThrowableOfType(ModelException.class, () -> model.complete(CONVERSATION));

        assertThat(e).isNotNull();
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void shouldStreamTheProvidersChunksAsDeltasAndAssembleTheReply() {
        responseBody.set("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","content":"Your name "},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"test-model","choices":[{"index":0,"delta":{"content":"is John."},"finish_reason":"stop"}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"test-model","choices":[],"usage":{"prompt_tokens":42,"completion_tokens":7,"total_tokens":49}}

                data: [DONE]

                """);
        List<String> deltas = new java.util.ArrayList<>();

        ModelReply reply = model().stream(CONVERSATION, deltas::add);

        assertThat(deltas).containsExactly("Your name ", "is John.");
        assertThat(reply).isEqualTo(new ModelReply("Your name is John.", 42, 7));
        com.fasterxml.jackson.databind.JsonNode sent = io.sessionflow.json.Json.parse(requests.get(0).body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    private static final List<ToolSpec> TOOLS = List.of(new ToolSpec("charge_card", "Charges the card",
            (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"type\":\"object\",\"properties\":{\"cents\":{\"type\":\"integer\"}}}")));

    @Test
    void shouldOfferFunctionToolsAndReturnParallelToolCalls() {
        responseBody.set("""
                {"id": "c2", "object": "chat.completion", "created": 1, "model": "test-model",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": null,
                   "message": {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                     {"id": "call_a", "type": "function", "function": {"name": "charge_card", "arguments": "{\\"cents\\": 500}"}},
                     {"id": "call_b", "type": "function", "function": {"name": "charge_card", "arguments": "{\\"cents\\": 700}"}}]}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """);

        ModelReply reply = model().complete(CONVERSATION, TOOLS);

        assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_a", "charge_card", "{\"cents\": 500}"),
                new ToolCall("call_b", "charge_card", "{\"cents\": 700}"));
        JsonNode tool = Json.parse(requests.get(0).body()).path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.path("function").path("name").asText()).isEqualTo("charge_card");
        assertThat(tool.path("function").path("parameters").path("properties").path("cents").path("type").asText()).isEqualTo("integer");
    }

    @Test
    void shouldSendToolCallsAndTheirResultsBackAsTheProviderExpects() {
        List<ChatMessage> conversation = List.of(ChatMessage.user("Charge me"),
                ChatMessage.assistant("", List.of(new ToolCall("call_a", "charge_card", "{\"cents\": 500}"))),
                ChatMessage.toolResult("call_a", "charged"));

        model().complete(conversation, TOOLS);

        JsonNode messages = Json.parse(requests.get(0).body()).path("messages");
        assertThat(messages.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_a");
        assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"cents\": 500}");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_a");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("charged");
    }

    @Test
    void shouldAssembleStreamedToolCallsFromTheirPieces() {
        responseBody.set("""
                data: {"id":"c3","object":"chat.completion.chunk","created":1,"model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"charge_card","arguments":""}},{"index":1,"id":"call_b","type":"function","function":{"name":"charge_card","arguments":"{\\"cents\\""}}]},"finish_reason":null}]}

                data: {"id":"c3","object":"chat.completion.chunk","created":1,"model":"test-model","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"cents\\": 1}"}},{"index":1,"function":{"arguments":": 2}"}}]},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """);
        List<String> deltas = new java.util.ArrayList<>();

        ModelReply reply = model().stream(CONVERSATION, TOOLS, deltas::add);

        assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_a", "charge_card", "{\"cents\": 1}"),
                new ToolCall("call_b", "charge_card", "{\"cents\": 2}"));
        assertThat(deltas).isEmpty();
    }
}
