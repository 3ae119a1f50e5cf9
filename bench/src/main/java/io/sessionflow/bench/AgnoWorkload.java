package io.sessionflow.bench;

import io.sessionflow.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Agno's own benchmark workload, as the latency issue quotes it: sessions of a few runs each through
 * HTTP {@code wait=true}, an agent with the last 3 runs as history, an instant model; one caller after
 * another (sequential), 50 callers at once (concurrent), and the time from the POST to the first
 * streamed delta. Each latency is the caller's own: request sent to answer read.
 */
final class AgnoWorkload {

    static final String AGENT = "agno-agent";

    /** What one phase measured: per-run latency as the caller saw it, and the runs per second it achieved. */
    record Phase(Percentiles latency, double runsPerSecond) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String apiKey;

    AgnoWorkload(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** One caller: each session's runs in turn, each waited for before the next is sent; sessions {@code <prefix>-<uuid>}. */
    Phase sequential(String prefix, int sessions, int runsPerSession) throws Exception {
        List<Double> latencies = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 0; s < sessions; s++) {
            String session = prefix + "-" + UUID.randomUUID();
            for (int r = 0; r < runsPerSession; r++) {
                latencies.add(timedRun(session));
            }
        }
        return new Phase(Percentiles.of(latencies), latencies.size() / ((System.nanoTime() - start) / 1e9));
    }

    /** {@code callers} callers at once, each taking the next session and running its runs one after another. */
    Phase concurrent(int callers, int sessions, int runsPerSession) throws Exception {
        ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
        for (int s = 0; s < sessions; s++) {
            pending.add("agno-conc-" + UUID.randomUUID());
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            Thread thread = new Thread(() -> {
                for (String session = pending.poll(); session != null; session = pending.poll()) {
                    for (int r = 0; r < runsPerSession; r++) {
                        try {
                            latencies.add(timedRun(session));
                        } catch (Exception e) {
                            return; // counted as missing: fewer runs, a lower rate
                        }
                    }
                }
            }, "agno-caller-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Phase(Percentiles.of(latencies), latencies.size() / ((System.nanoTime() - start) / 1e9));
    }

    /** The time from sending {@code POST ...?stream=true} to reading the first {@code delta} event, run after run. */
    Percentiles firstDelta(int runs) throws Exception {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long sent = System.nanoTime();
            HttpResponse<InputStream> response = http.send(request("agno-ttft-" + UUID.randomUUID(), "?stream=true"),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = events.readLine(); line != null; line = events.readLine()) {
                    if (line.equals("event: delta")) {
                        latencies.add((System.nanoTime() - sent) / 1e6);
                        break;
                    }
                }
            }
        }
        return Percentiles.of(latencies);
    }

    /**
     * The floor under every figure above: one HTTP exchange with the gateway that touches neither Kafka nor
     * Postgres ({@code GET /health/live}), one after another, as the sequential caller makes them.
     */
    Percentiles httpFloor(int requests) throws Exception {
        List<Double> latencies = new ArrayList<>();
        HttpRequest live = HttpRequest.newBuilder(URI.create(baseUrl + "/health/live")).timeout(Duration.ofSeconds(10)).GET().build();
        for (int i = 0; i < requests; i++) {
            long sent = System.nanoTime();
            http.send(live, HttpResponse.BodyHandlers.ofString());
            latencies.add((System.nanoTime() - sent) / 1e6);
        }
        return Percentiles.of(latencies);
    }

    private double timedRun(String session) throws Exception {
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request(session, "?wait=true"), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("run answered " + response.statusCode() + ": " + response.body());
        }
        return (System.nanoTime() - sent) / 1e6;
    }

    private HttpRequest request(String session, String query) {
        String body = Json.toText(Json.object().put("message", "a benchmark message for {user_id}").put("session_id", session)
                .put("user_id", "agno-bench"));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/agents/" + AGENT + "/runs" + query)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
