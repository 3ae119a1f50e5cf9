package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An open event stream or a {@code wait=true} request holds no thread of the gateway: hundreds of
 * them stay open at once, with far fewer threads than requests, and each still gets its answer.
 * Clients are plain sockets read one after another, so the test itself adds no thread per request.
 */
@PipelineIT
class OpenStreamsIT {

    private static final int STREAMS = 300;
    private static final int WAITING = 100;

    private final TestPipeline pipeline;
    private final Rows rows;

    OpenStreamsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }

    @Test
    void shouldHoldNoThreadPerOpenStreamOrWaitingRequest() throws Exception {
        String session = SessionSemanticsIT.newId("many-streams");
        String body = Json.toText(SessionSemanticsIT.body("user_1", session, "slow for many listeners sleep:40000 " + UUID.randomUUID(), null));
        String key = "many-waiters-" + UUID.randomUUID();
        GatewayClient.Response accepted = pipeline.client.send("POST", "/v1/agents/personal-assistant/runs", body, java.util.Map.of("Idempotency-Key", key));
        String runId = accepted.body().path("run_id").asText();
        int threadsBefore = Thread.activeCount();
        long openingStarted = System.nanoTime();

        List<Socket> streams = new ArrayList<>();
        List<Socket> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                streams.add(send("GET /v1/runs/" + runId + "/events", null, null));
            }
            for (int i = 0; i < WAITING; i++) {
                // The same key and body: each is the first request again, waiting for the same run.
                waiting.add(send("POST /v1/agents/personal-assistant/runs?wait=true", body, key));
            }
            for (Socket stream : streams) {
                assertThat(readUntil(stream.getInputStream(), "\r\n\r\n")).startsWith("HTTP/1.1 200");
            }
            int threadsOpen = Thread.activeCount();
            long openingMillis = (System.nanoTime() - openingStarted) / 1_000_000;
            assertThat(rows.text("SELECT status FROM runs WHERE run_id = ?", runId)).as("the run is still going after " + openingMillis + " ms")
                    .isIn("pending", "running");
            assertThat(threadsOpen - threadsBefore).as("threads added while " + (STREAMS + WAITING) + " requests are open")
                    .isLessThan((STREAMS + WAITING) / 4);

            for (Socket stream : streams) {
                assertThat(readUntil(stream.getInputStream(), "event: run_completed\n")).contains("event: run_started\n");
            }
            for (Socket waiter : waiting) {
                String answer = readUntil(waiter.getInputStream(), "}");
                assertThat(answer).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Socket socket : streams) {
                socket.close();
            }
            for (Socket socket : waiting) {
                socket.close();
            }
        }
    }

    private Socket send(String requestLine, String body, String idempotencyKey) throws IOException {
        URI gateway = URI.create(pipeline.gateway.url());
        Socket socket = new Socket(gateway.getHost(), gateway.getPort());
        socket.setSoTimeout(60_000);
        StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: ").append(gateway.getHost())
                .append("\r\nAuthorization: Bearer ").append(TestPipeline.ADMIN_KEY).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        if (idempotencyKey != null) {
            request.append("Idempotency-Key: ").append(idempotencyKey).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(content);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads until {@code end} has been read (the socket's timeout bounds the wait); bytes as ISO-8859-1, enough for markers. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.length() < end.length() || !read.substring(read.length() - end.length()).equals(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            read.append((char) b);
        }
        return read.toString();
    }
}
