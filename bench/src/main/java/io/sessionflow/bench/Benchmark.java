package io.sessionflow.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.TopicSetup;
import io.sessionflow.bench.store.BenchRows;
import io.sessionflow.store.Database;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./sessionflow bench [--quick] [--model-latency-ms N]}: measures the real pipeline (gateway,
 * run-worker, summarizer, context and memory workers, Kafka, Postgres) against its substrate, with a
 * synthetic model. Writes a table, a JSON file and a PNG chart to {@code results/}, and ends with
 * one {@code RESULT ...} line.
 */
public final class Benchmark {

    /** What the benchmark needs from the running pipeline. */
    public record Target(String gatewayUrl, String apiKey, KafkaClients kafka, Database database, Map<String, String> env) {
    }

    private final Target target;
    private final BenchRows rows;
    private final boolean quick;
    private final boolean latencyOnly;
    private final long modelLatencyMs;
    private final ObjectNode json = Json.object();
    private final List<String> table = new ArrayList<>();

    /** @param latencyOnly only Agno's workload and the flat-cost run (to measure a latency change quickly) */
    public Benchmark(Target target, boolean quick, boolean latencyOnly, long modelLatencyMs) {
        this.target = target;
        this.rows = new BenchRows(target.database());
        this.quick = quick;
        this.latencyOnly = latencyOnly;
        this.modelLatencyMs = modelLatencyMs;
    }

    public int run() throws Exception {
        Duration step = Duration.ofSeconds(quick ? 4 : 10);
        json.put("mode", quick ? "quick" : "full").put("model_latency_ms", modelLatencyMs).put("started_at", Instant.now().toString())
                .put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        try (CompletionClock clock = new CompletionClock(target.kafka())) {
            HttpLoad http = new HttpLoad(target.gatewayUrl(), target.apiKey(), clock);
            Supplier<String> pool = sessionPool("bench-pool", 2000);

            say("warming up (JIT, connection pools, consumer groups)...");
            http.closedLoop(32, Duration.ofSeconds(quick ? 4 : 8), Duration.ofSeconds(1), pool);

            AgnoFigures agno = agnoWorkload();
            if (latencyOnly) {
                double flat = flatCost(http);
                json.put("grow_ratio", round(flat));
                return finish("latency", null, String.format(Locale.ROOT, "RESULT seq_p50_ms=%.1f conc50_runs_per_s=%.1f ttft_p50_ms=%.1f grow_ratio=%.2f",
                        agno.sequential().latency().p50(), agno.concurrent().runsPerSecond(), agno.firstDelta().p50(), flat));
            }

            say("Postgres ceiling: the worker's commit (insert run row + update session row), pool-size threads...");
            int poolSize = Integer.parseInt(target.env().getOrDefault("DATABASE_POOL_SIZE", "16"));
            double ceiling = rows.ceiling(poolSize, Duration.ofSeconds(quick ? 5 : 15));
            row("Postgres ceiling (per-run commit, " + poolSize + " threads)", fmt(ceiling) + " commits/s");

            say("throughput through the topic...");
            double topicRate = topicThroughput(clock, quick ? 4000 : 20000, 1000);
            row("throughput, produced straight to runs.requested", fmt(topicRate) + " runs/s");

            say("throughput through the HTTP API...");
            double httpRate = http.closedLoop(48, Duration.ofSeconds(2), quick ? step : step.multipliedBy(2), pool);
            row("throughput, through the HTTP API (48 callers)", fmt(httpRate) + " runs/s");
            double max = Math.max(topicRate, httpRate);
            double ratio = max / ceiling;
            row("pg_ceiling_ratio (end-to-end / ceiling)", String.format(Locale.ROOT, "%.2f", ratio));

            // At half of the HTTP path's own maximum: the load a caller of the API can expect to be far from saturating.
            say("latency at half of the HTTP path's throughput...");
            String halfPrefix = "bench-half-" + UUID.randomUUID().toString().substring(0, 6);
            HttpLoad.Result half = http.openLoop(httpRate / 2, step.multipliedBy(2), () -> halfPrefix + "-" + ThreadLocalRandom.current().nextInt(2000));
            row("latency accept→completed at " + fmt(half.offered()) + " runs/s", "p50 " + ms(half.latency().p50()) + ", p95 "
                    + ms(half.latency().p95()) + ", p99 " + ms(half.latency().p99()));
            stages(halfPrefix, "");

            say("growth with offered load...");
            ArrayNode loadCurve = json.putArray("offered_load");
            List<Chart.Point> points = new ArrayList<>();
            for (double share : new double[] {0.25, 0.5, 0.75, 1.0, 1.25}) {
                HttpLoad.Result result = http.openLoop(max * share, step, pool);
                points.add(new Chart.Point(result.offered(), result.achieved(), result.latency().p99()));
                loadCurve.addObject().put("offered_runs_per_s", round(result.offered())).put("achieved_runs_per_s", round(result.achieved()))
                        .put("p50_ms", round(result.latency().p50())).put("p99_ms", round(result.latency().p99()));
                row("  offered " + fmt(result.offered()) + " runs/s", "achieved " + fmt(result.achieved()) + ", p99 " + ms(result.latency().p99()));
            }

            say("growth with the number of sessions...");
            ArrayNode sessionCurve = json.putArray("sessions");
            for (int sessions : quick ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000}) {
                String prefix = seedSessions(sessions);
                HttpLoad.Result result = http.openLoop(max / 2, step, () -> prefix + "-" + (1 + ThreadLocalRandom.current().nextInt(sessions)));
                sessionCurve.addObject().put("sessions", sessions).put("runs_per_s", round(result.achieved())).put("p99_ms", round(result.latency().p99()));
                row("  " + sessions + " sessions at " + fmt(result.offered()) + " runs/s", "achieved " + fmt(result.achieved()) + ", p99 "
                        + ms(result.latency().p99()));
            }

            say("summary and memory freshness after a burst...");
            Percentiles[] lags = burstLags(quick ? 30 : 100, 10);
            Percentiles lag = lags[0];
            Percentiles memoryLag = lags[1];
            row("summary lag after a burst (last run → summary stored)", "p50 " + ms(lag.p50()) + ", p95 " + ms(lag.p95()));
            row("memory lag after the burst (last run → its memories stored)", "p50 " + ms(memoryLag.p50()) + ", p95 "
                    + ms(memoryLag.p95()));

            say("concurrency: one run-worker process, model latency 1000 ms...");
            double[] concurrency = concurrency(quick ? 12 : 15, quick ? 8 : 20);

            // Last: the snapshot workers go on updating its long session for a while after its runs end, which
            // would weigh on any phase after it (the freshness burst measured a summary lag p95 of 1.2 s right after 10,000 runs).
            double flat = flatCost(http);

            json.put("pg_ceiling_runs_per_s", round(ceiling)).put("throughput_topic_runs_per_s", round(topicRate))
                    .put("throughput_http_runs_per_s", round(httpRate)).put("throughput_runs_per_s", round(max))
                    .put("pg_ceiling_ratio", round(ratio)).put("p50_ms", round(half.latency().p50())).put("p95_ms", round(half.latency().p95()))
                    .put("p99_ms", round(half.latency().p99())).put("flat_cost_ratio", round(flat))
                    .put("inflight_max", (long) concurrency[0]).put("inflight_runs_per_s", round(concurrency[1]))
                    .put("heap_mb", round(concurrency[2])).put("summary_lag_p95_ms", round(lag.p95()))
                    .put("memory_lag_p50_ms", round(memoryLag.p50())).put("memory_lag_p95_ms", round(memoryLag.p95()))
                    .put("grow_ratio", round(flat));
            return finish("bench", points, String.format(Locale.ROOT,
                    "RESULT throughput_runs_per_s=%.1f pg_ceiling_runs_per_s=%.1f pg_ceiling_ratio=%.2f p50_ms=%.1f p99_ms=%.1f "
                            + "flat_cost_ratio=%.2f inflight_max=%d inflight_runs_per_s=%.1f heap_mb=%.1f summary_lag_p95_ms=%.1f "
                            + "memory_lag_p95_ms=%.1f seq_p50_ms=%.1f conc50_runs_per_s=%.1f ttft_p50_ms=%.1f grow_ratio=%.2f",
                    max, ceiling, ratio, half.latency().p50(), half.latency().p99(), flat, (long) concurrency[0], concurrency[1],
                    concurrency[2], lag.p95(), memoryLag.p95(), agno.sequential().latency().p50(), agno.concurrent().runsPerSecond(),
                    agno.firstDelta().p50(), flat));
        }
    }

    /**
     * Writes {@code results/<kind>-<stamp>.json} and prints the table and the RESULT line. A whole run (with a
     * chart) also replaces {@code results/latest.json} and the chart; a latency-only run leaves them as they are.
     */
    private int finish(String kind, List<Chart.Point> points, String result) throws Exception {
        Path results = Path.of("results");
        Files.createDirectories(results);
        String stamp = Instant.now().toString().replace(":", "").replace(".", "");
        String file = kind + "-" + stamp + ".json";
        Files.writeString(results.resolve(file), json.toPrettyString());
        String written = "results/" + file;
        if (points != null) {
            Files.writeString(results.resolve("latest.json"), json.toPrettyString());
            Chart.write(points, "Sessionflow: throughput and p99 against offered load (" + (quick ? "quick" : "full") + ", model "
                    + modelLatencyMs + " ms)", results.resolve("bench-load.png"));
            written += ", results/latest.json, results/bench-load.png";
        }
        System.out.println();
        System.out.println("Sessionflow benchmark (" + json.path("mode").asText() + ") on " + json.path("machine").asText());
        table.forEach(System.out::println);
        System.out.println("written: " + written);
        System.out.println(result);
        return 0;
    }

    /** What Agno's workload measured, for the RESULT line. */
    private record AgnoFigures(AgnoWorkload.Phase sequential, AgnoWorkload.Phase concurrent, Percentiles firstDelta) {
    }

    private AgnoFigures agnoWorkload() throws Exception {
        say("Agno's workload: sessions of 5 runs through HTTP wait=true, history of 3 runs, instant model...");
        AgnoWorkload agno = new AgnoWorkload(target.gatewayUrl(), target.apiKey());
        int agnoSessions = quick ? 40 : 200;
        // The load warm-up above compiles what is hot under load; one caller at a time runs other paths (an idle
        // consumer woken, a batch of one): warmed the same way before it is measured, as Agno's server would be.
        agno.sequential("agno-warm", agnoSessions * 2, 5);
        // Agno's figures are quoted from the latency issue: Agno 2.9 + Postgres, measured separately on this machine type.
        AgnoWorkload.Phase sequential = agno.sequential("agno-seq", agnoSessions, 5);
        row("Agno workload, sequential (" + agnoSessions + " sessions x 5)", fmt(sequential.runsPerSecond()) + " runs/s, p50 "
                + ms(sequential.latency().p50()) + ", p99 " + ms(sequential.latency().p99()) + "   [Agno: 72.4 runs/s, p50 13.7 ms]");
        stages("agno-seq", "seq_");
        Percentiles floor = agno.httpFloor(quick ? 500 : 2000);
        row("  the HTTP exchange alone (GET /health/live, one caller)", "p50 " + ms(floor.p50()) + ", p99 " + ms(floor.p99()));
        AgnoWorkload.Phase concurrent = agno.concurrent(50, quick ? 100 : 200, 5);
        row("Agno workload, 50 concurrent sessions", fmt(concurrent.runsPerSecond()) + " runs/s, p50 " + ms(concurrent.latency().p50())
                + ", p99 " + ms(concurrent.latency().p99()) + "   [Agno: 85 runs/s, p50 535 ms]");
        Percentiles firstDelta = agno.firstDelta(quick ? 50 : 200);
        row("Agno workload, POST → first streamed delta", "p50 " + ms(firstDelta.p50()) + ", p99 " + ms(firstDelta.p99())
                + "   [Agno: a few ms, in process]");
        json.put("seq_p50_ms", round(sequential.latency().p50())).put("seq_p99_ms", round(sequential.latency().p99()))
                .put("seq_runs_per_s", round(sequential.runsPerSecond())).put("http_floor_p50_ms", round(floor.p50()))
                .put("http_floor_p99_ms", round(floor.p99())).put("conc50_runs_per_s", round(concurrent.runsPerSecond()))
                .put("conc50_p50_ms", round(concurrent.latency().p50())).put("conc50_p99_ms", round(concurrent.latency().p99()))
                .put("ttft_p50_ms", round(firstDelta.p50())).put("ttft_p99_ms", round(firstDelta.p99()));
        return new AgnoFigures(sequential, concurrent, firstDelta);
    }

    private double topicThroughput(CompletionClock clock, int runs, int sessions) throws Exception {
        Topic<RunRequested> topic = target.kafka().topics().runsRequested();
        String prefix = "bench-topic-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = target.kafka().producer("bench-topic")) {
            for (int i = 0; i < runs; i++) {
                String session = prefix + "-" + (i % sessions);
                RunRequested request = RunRequested.of(ComponentType.AGENT, "bench-agent", session, "bench", "a benchmark message");
                ids.add(request.runId());
                producer.send(new ProducerRecord<>(topic.name(), session, topic.serialize(request)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && ids.stream().anyMatch(id -> clock.completedAt(id) == null)) {
            Thread.sleep(50);
        }
        long last = ids.stream().map(clock::completedAt).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(start);
        return ids.stream().filter(id -> clock.completedAt(id) != null).count() / ((last - start) / 1e9);
    }

    /**
     * Where the latency goes, from the rows themselves: accepted → claimed by a worker (the queue:
     * publish, fetch, a free lane, the start batch) and claimed → committed (model and commit batch).
     */
    private void stages(String sessionPrefix, String key) {
        double[] stages = rows.stages(sessionPrefix);
        row("  accepted → claimed by a worker", "p50 " + ms(stages[0]) + ", p99 " + ms(stages[1]));
        row("  claimed → committed", "p50 " + ms(stages[2]) + ", p99 " + ms(stages[3]));
        json.put(key + "accept_to_claim_p50_ms", round(stages[0])).put(key + "accept_to_claim_p99_ms", round(stages[1]))
                .put(key + "claim_to_commit_p50_ms", round(stages[2])).put(key + "claim_to_commit_p99_ms", round(stages[3]));
    }

    /** Median per-run latency of the last 50 of 10,000 runs (1,000 with --quick) on one session over that of its first 50. */
    private double flatCost(HttpLoad http) {
        int runs = quick ? 1_000 : 10_000;
        say(String.format(Locale.ROOT, "flat cost: one session, %,d runs in a row...", runs));
        String session = "bench-flat-" + UUID.randomUUID();
        double[] latencies = new double[runs];
        for (int i = 0; i < latencies.length; i++) {
            long start = System.nanoTime();
            http.post(session, true);
            latencies[i] = (System.nanoTime() - start) / 1e6;
        }
        double first = Percentiles.median(java.util.Arrays.copyOfRange(latencies, 0, 50));
        double last = Percentiles.median(java.util.Arrays.copyOfRange(latencies, runs - 50, runs));
        row(String.format(Locale.ROOT, "flat cost: runs %,d-%,d vs 1-50 of one session", runs - 49, runs), ms(last) + " vs " + ms(first) + " (ratio "
                + String.format(Locale.ROOT, "%.2f", last / first) + ")");
        json.put("flat_runs", runs).put("flat_first_ms", round(first)).put("flat_last_ms", round(last));
        return last / first;
    }

    /**
     * After a burst of runs of the memory-enabled agent (one user per session), how long from each session's
     * last completed run to the summary that covers it, and to the memories learnt from it.
     * @return {summary lag, memory lag}
     */
    private Percentiles[] burstLags(int sessions, int runsPerSession) throws Exception {
        String prefix = "bench-burst-" + UUID.randomUUID().toString().substring(0, 8);
        Topic<RunRequested> topic = target.kafka().topics().runsRequested();
        try (KafkaProducer<String, byte[]> producer = target.kafka().producer("bench-burst")) {
            for (int r = 0; r < runsPerSession; r++) {
                for (int s = 0; s < sessions; s++) {
                    // Memories are per user: a user per session, so that users are learnt in parallel as sessions are.
                    RunRequested request = RunRequested.of(ComponentType.AGENT, "bench-memory-agent", prefix + "-" + s,
                            prefix + "-user-" + s, "burst message " + r);
                    producer.send(new ProducerRecord<>(topic.name(), request.sessionId(), topic.serialize(request)));
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && (rows.summariesCovering(prefix, runsPerSession) < sessions
                || rows.memoriesCovering(prefix, runsPerSession) < sessions)) {
            Thread.sleep(100);
        }
        return new Percentiles[] {Percentiles.of(rows.summaryLags(prefix)), Percentiles.of(rows.memoryLags(prefix))};
    }

    /**
     * A run-worker in its own JVM with 1 s model latency: the most runs it keeps in flight, its runs/s,
     * and its heap, read from its own /metrics. @return {inflight max, runs/s, heap MB}
     */
    private double[] concurrency(int warmUpSeconds, int seconds) throws Exception {
        String prefix = "benchconc" + UUID.randomUUID().toString().substring(0, 6) + ".";
        int metricsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            metricsPort = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(target.env());
        env.put("SESSIONFLOW_TOPIC_PREFIX", prefix);
        env.put("SESSIONFLOW_WORKER_CONCURRENCY", "2000");
        env.put("SESSIONFLOW_WORKER_MAX_BUFFERED", "6000");
        env.put("SESSIONFLOW_METRICS_PORT", Integer.toString(metricsPort));
        KafkaClients kafka = new KafkaClients(io.sessionflow.config.KafkaSettings.read(new io.sessionflow.config.Env(env)));
        TopicSetup.ensureTopics(kafka);
        // The heap target is shown by running within it: a worker that needed more would fail or stall here.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + WORKER_HEAP_MB + "m", "-cp", classpath(), BenchWorker.class.getName(), "1000");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(Path.of("results", "bench-worker.log").toFile());
        Files.createDirectories(Path.of("results"));
        Process worker = builder.start();
        try (CompletionClock clock = new CompletionClock(kafka)) {
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < ready && scrape(http, metrics) == null) {
                Thread.sleep(200);
            }
            Thread.sleep(3000); // the group assigns the partitions
            Topic<RunRequested> topic = kafka.topics().runsRequested();
            double rate = 1300;
            List<String> ids = new ArrayList<>();
            // Sampled off the producing thread, so that a slow scrape never thins the offered load.
            double[] max = new double[2];
            var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleWithFixedDelay(() -> {
                double[] sample = scrape(http, metrics);
                if (sample != null) {
                    max[0] = Math.max(max[0], sample[0]);
                    max[1] = Math.max(max[1], sample[1]);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = kafka.producer("bench-concurrency")) {
                long total = (long) (rate * (warmUpSeconds + seconds));
                for (long i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String session = prefix + "s" + i;
                    RunRequested request = RunRequested.of(ComponentType.AGENT, "bench-agent", session, "bench", "concurrency");
                    ids.add(request.runId());
                    producer.send(new ProducerRecord<>(topic.name(), session, topic.serialize(request)));
                }
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            }
            long end = System.nanoTime();
            double offered = ids.size() / ((end - start) / 1e9);
            double maxInFlight = max[0];
            double maxHeap = max[1];
            // Runs/s in the steady state: completions after the warm-up (a fresh JVM, a group joining,
            // thread pools growing) until the end of the offer.
            long from = start + TimeUnit.SECONDS.toNanos(warmUpSeconds);
            long steady = ids.stream().map(clock::completedAt).filter(t -> t != null && t >= from && t <= end).count();
            double runsPerSecond = steady / ((end - from) / 1e9);
            row("concurrency (1 worker, 1 s model): max model calls in flight", fmt(maxInFlight));
            row("concurrency: runs/s at " + fmt(offered) + " offered (after " + warmUpSeconds + " s of warm-up)", fmt(runsPerSecond));
            row("concurrency: worker heap used (max sampled, run with -Xmx" + WORKER_HEAP_MB + "m)", String.format(Locale.ROOT, "%.0f MB", maxHeap));
            return new double[] {maxInFlight, runsPerSecond, maxHeap};
        } finally {
            worker.destroy();
            worker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static final int WORKER_HEAP_MB = 512;

    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^sessionflow_model_calls_in_flight(?:\\{[^}]*})? ([0-9.eE+]+)");
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+]+)");

    /** {in flight, heap MB} from a worker's /metrics, or null while it is not up. */
    private static double[] scrape(HttpClient http, URI metrics) {
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher inFlight = IN_FLIGHT.matcher(text);
            if (!inFlight.find()) {
                return null;
            }
            double heap = 0;
            Matcher heapMatcher = HEAP.matcher(text);
            while (heapMatcher.find()) {
                heap += Double.parseDouble(heapMatcher.group(1));
            }
            return new double[] {Double.parseDouble(inFlight.group(1)), heap / (1024 * 1024)};
        } catch (Exception e) {
            return null;
        }
    }

    private static String classpath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(new File(entry).getAbsolutePath());
        }
        return String.join(File.pathSeparator, entries);
    }

    private String seedSessions(int count) {
        String prefix = "bench-grow-" + count + "-" + UUID.randomUUID().toString().substring(0, 6);
        rows.seedSessions(prefix, count);
        return prefix;
    }

    private static Supplier<String> sessionPool(String name, int size) {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        return () -> prefix + "-" + ThreadLocalRandom.current().nextInt(size);
    }

    private void row(String what, String value) {
        table.add(String.format("  %-62s %s", what, value));
        System.err.println("    " + what + ": " + value);
    }

    private static void say(String what) {
        System.err.println("bench: " + what);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
