package io.sessionflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sessionflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat-completions server on loopback, scripted per structured-output schema
 * name: the real client (SDK, HTTP, JSON) talks to it exactly as it would to a provider. Plain chat
 * requests get a fixed answer; structured ones get the next scripted reply for their schema.
 */
final class FakeOpenAi implements AutoCloseable {

    /** A scripted reply: a JSON content string answered with 200, or an HTTP error status. */
    record Reply(String content, int status, String retryAfter, long delayMillis) {
        static Reply content(String json) {
            return new Reply(json, 200, null, 0);
        }

        static Reply error(int status) {
            return new Reply(null, status, null, 0);
        }

        static Reply error(int status, String retryAfter) {
            return new Reply(null, status, retryAfter, 0);
        }

        /** Answers, but only after a delay: a model that times out. */
        static Reply slow(String json, long delayMillis) {
            return new Reply(json, 200, null, delayMillis);
        }
    }

    /** The schema name under which plain chat requests (no structured output) are scripted. */
    static final String CHAT = "chat";

    private final HttpServer server;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> answered = new ConcurrentHashMap<>();
    private volatile long chatDelayMillis;
    private volatile double failureRate;
    private final Map<String, ConcurrentLinkedQueue<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> structuredRequests = new ConcurrentHashMap<>();

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(64));
        server.start();
    }

    /** Every plain chat answer takes this long: runs stay in flight, as with a real model. */
    void chatDelay(long millis) {
        this.chatDelayMillis = millis;
    }

    /**
     * Plain chat requests fail at random with this probability, split evenly between a 500, a 429
     * with {@code Retry-After: 1} and an answer slower than any sane client timeout (2 s).
     */
    void randomFailures(double rate) {
        this.failureRate = rate;
    }

    /** How many chat requests ended with this user message, answered or not. */
    int requestsFor(String message) {
        return (int) requests(CHAT).stream().filter(body -> {
            JsonNode messages = body.path("messages");
            return messages.get(messages.size() - 1).path("content").asText().equals(message);
        }).count();
    }

    /** How many times a chat with this last user message was answered successfully. */
    int answersFor(String message) {
        java.util.concurrent.atomic.AtomicInteger count = answered.get(message);
        return count == null ? 0 : count.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void script(String schemaName, Reply... replies) {
        scripts.computeIfAbsent(schemaName, name -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
    }

    /** The structured requests received for a schema, in order. */
    List<JsonNode> requests(String schemaName) {
        return structuredRequests.getOrDefault(schemaName, List.of());
    }

    /** The user prompt of the n-th structured request (0-based) for a schema. */
    String userPrompt(String schemaName, int n) {
        JsonNode messages = requests(schemaName).get(n).path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
        String schema = body.path("response_format").path("json_schema").path("name").asText("");
        Reply reply;
        if (schema.isEmpty()) {
            structuredRequests.computeIfAbsent(CHAT, name -> new CopyOnWriteArrayList<>()).add(body);
            ConcurrentLinkedQueue<Reply> script = scripts.get(CHAT);
            Reply next = script == null ? null : script.poll();
            reply = next != null ? next : randomReply();
        } else {
            structuredRequests.computeIfAbsent(schema, name -> new CopyOnWriteArrayList<>()).add(body);
            ConcurrentLinkedQueue<Reply> script = scripts.get(schema);
            Reply next = script == null ? null : script.poll();
            reply = next != null ? next : Reply.error(503);
        }
        if (reply.delayMillis() > 0) {
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
        }
        if (reply.status() != 200) {
            send(exchange, reply.status(), "{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}");
            return;
        }
        // A deliberately slow answer is one the client has given up on: it is not an answer it used.
        if (schema.isEmpty() && reply.delayMillis() < 1500) {
            JsonNode messages = body.path("messages");
            answered.computeIfAbsent(messages.get(messages.size() - 1).path("content").asText(),
                    m -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }
        if (body.path("stream").asBoolean(false)) {
            streamChunks(exchange, body.path("model").asText(), reply.content());
            return;
        }
        String completion = Json.toText(Map.of(
                "id", "chatcmpl-fake", "object", "chat.completion", "created", 1_700_000_000L, "model", body.path("model").asText(),
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", reply.content()))),
                "usage", Map.of("prompt_tokens", 10, "completion_tokens", 5, "total_tokens", 15)));
        send(exchange, 200, completion);
    }

    private Reply randomReply() {
        double dice = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        if (dice < failureRate / 3) {
            return Reply.error(500);
        }
        if (dice < failureRate * 2 / 3) {
            return Reply.error(429, "1");
        }
        if (dice < failureRate) {
            return Reply.slow("fake model answer", 2000);
        }
        return new Reply("fake model answer", 200, null, chatDelayMillis);
    }

    /** A streamed answer as providers send it: content chunks, a usage chunk, then [DONE]. */
    private static void streamChunks(HttpExchange exchange, String model, String content) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            int middle = content.length() / 2;
            for (String piece : List.of(content.substring(0, middle), content.substring(middle))) {
                out.write(("data: " + Json.toText(Map.of("id", "chatcmpl-fake", "object", "chat.completion.chunk", "created", 1_700_000_000L,
                        "model", model, "choices", List.of(Map.of("index", 0, "delta", Map.of("role", "assistant", "content", piece)))))
                        + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("data: " + Json.toText(Map.of("id", "chatcmpl-fake", "object", "chat.completion.chunk", "created", 1_700_000_000L,
                    "model", model, "choices", List.of(), "usage", Map.of("prompt_tokens", 10, "completion_tokens", 5, "total_tokens", 15)))
                    + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
