package io.sessionflow.bench;

import io.sessionflow.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Load offered through the gateway's HTTP API, measured accepted (the gateway's timestamp in the
 * run) → completed (RunCompleted seen by a consumer).
 */
final class HttpLoad {

    record Result(double offered, double achieved, Percentiles latency, int accepted, int refused) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String apiKey;
    private final CompletionClock clock;

    HttpLoad(String baseUrl, String apiKey, CompletionClock clock) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /**
     * Open loop: requests leave at {@code rate} a second whatever the answers, as users' traffic does
     * (sent asynchronously, so a slow answer never holds back the next request).
     */
    Result openLoop(double rate, Duration duration, Supplier<String> sessions) throws InterruptedException {
        java.util.Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        List<java.util.concurrent.CompletableFuture<?>> answers = new ArrayList<>();
        long start = System.nanoTime();
        long total = Math.max(1, (long) (rate * duration.toMillis() / 1000.0));
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            answers.add(http.sendAsync(request(sessions.get(), false), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                String runId = error == null ? runIdOf(response) : null;
                if (runId == null) {
                    refused.incrementAndGet();
                } else {
                    accepted.add(runId);
                }
                return null;
            }));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(answers.toArray(java.util.concurrent.CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted as refused or missing below
        }
        awaitCompletions(accepted, Duration.ofSeconds(60));
        List<Double> latencies = new ArrayList<>();
        long last = start;
        for (String runId : accepted) {
            Long done = clock.completedAt(runId);
            if (done != null) {
                latencies.add(clock.latencyMs(runId));
                last = Math.max(last, done);
            }
        }
        double seconds = Math.max((last - start) / 1e9, duration.toMillis() / 1000.0);
        return new Result(rate, latencies.size() / seconds, Percentiles.of(latencies), accepted.size(), refused.get());
    }

    /** Closed loop: {@code clients} callers each wait for their run before sending the next; the system's capacity. */
    double closedLoop(int clients, Duration warmUp, Duration measured, Supplier<String> sessions) throws InterruptedException {
        AtomicLong completed = new AtomicLong();
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (post(sessions.get(), true) != null && System.nanoTime() >= measureFrom && System.nanoTime() < end) {
                        completed.incrementAndGet();
                    }
                }
            }, "bench-client-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return completed.get() / (measured.toMillis() / 1000.0);
    }

    /** @return the run id when accepted (or completed, with wait), else null */
    String post(String session, boolean wait) {
        try {
            return runIdOf(http.send(request(session, wait), HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            return null;
        }
    }

    private HttpRequest request(String session, boolean wait) {
        String body = Json.toText(Json.object().put("message", "a benchmark message for {user_id}").put("session_id", session)
                .put("user_id", "bench"));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/agents/bench-agent/runs" + (wait ? "?wait=true" : "")))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String runIdOf(HttpResponse<String> response) {
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            return null;
        }
        return Json.parse(response.body()).path("run_id").asText();
    }

    void awaitCompletions(java.util.Collection<String> runIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && runIds.stream().anyMatch(id -> clock.completedAt(id) == null)) {
            Thread.sleep(50);
        }
    }
}
