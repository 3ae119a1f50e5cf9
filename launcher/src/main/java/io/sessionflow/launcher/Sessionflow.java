package io.sessionflow.launcher;

import io.sessionflow.config.ConfigException;
import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.gateway.auth.ApiKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The {@code ./sessionflow} command. */
public final class Sessionflow {

    private static final String USAGE = """
            usage: ./sessionflow <command>

              demo                runs Agno's session examples end to end on an embedded Kafka and Postgres, prints the transcript
              dev                 starts everything (embedded Kafka and Postgres unless configured) and stays up
              gateway             runs the HTTP gateway against the configured Kafka and Postgres
              run-worker          runs one run-worker (start several: they share the partitions of one consumer group)
              summarizer-worker   runs the summarizer-worker
              context-worker      runs the context-worker

              run --agent ID | --team ID --session S --user U [--state JSON] "message"
                                  sends a run to a gateway and prints the answer
              sessions list|show|rename|delete ...
                                  manages sessions on a gateway (./sessionflow sessions help)
              reprocess summaries|context|both [filters] [--detach]
                                  re-derives summaries/contexts of matching sessions, with a progress bar
              hash-key KEY        prints the SHA-256 of an API key, for SESSIONFLOW_API_KEYS
              bench [--quick] [--model-latency-ms N]
                                  measures throughput, latency, flat cost, concurrency and freshness (results/)

            Commands that talk to a gateway take --url (or SESSIONFLOW_URL, default http://127.0.0.1:8080)
            and --key (or SESSIONFLOW_API_KEY), and print a table, or JSON with --json.

            Configuration is read from the environment; see README.md (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL,
            SESSIONFLOW_COMPONENTS, SESSIONFLOW_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY, ...).
            """;

    private Sessionflow() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        if (command.equals("demo")) {
            // Keep the terminal for the transcript; warnings and errors still show.
            System.setProperty("SESSIONFLOW_LOG_LEVEL", System.getenv().getOrDefault("SESSIONFLOW_LOG_LEVEL", "WARN"));
        }
        try {
            int status = switch (command) {
                case "demo" -> demo();
                case "dev" -> dev();
                case "bench" -> bench(args);
                case "gateway", "run-worker", "summarizer-worker", "context-worker" -> service(command);
                case "run", "sessions", "reprocess" -> new Cli(System.out, System.err).main(args);
                case "hash-key" -> {
                    if (args.length != 2) {
                        System.err.println("usage: ./sessionflow hash-key <key>");
                        yield 2;
                    }
                    System.out.println(ApiKeys.hash(args[1]));
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> {
                    System.err.println("unknown command '" + command + "'\n");
                    System.err.print(USAGE);
                    yield 2;
                }
            };
            System.exit(status);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static int demo() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SESSIONFLOW_GATEWAY_PORT", "0");
        env.remove("SESSIONFLOW_COMPONENTS"); // the demo's examples are the built-in components
        env.put("SESSIONFLOW_MODEL", "local");
        String adminKey = withGeneratedAdminKey(env);
        System.err.println("starting embedded Kafka and Postgres (unless configured) and every service...");
        try (EmbeddedDefaults embedded = EmbeddedDefaults.fill(env);
             Pipeline pipeline = Pipeline.open(new Env(embedded.env()))) {
            Gateway gateway = startEverything(pipeline);
            System.out.println("Admin API key for this demo (generated, valid until it exits): " + adminKey);
            List<String> failures = new Demo(new GatewayClient(gateway.url(), adminKey), System.out).run();
            return failures.isEmpty() ? 0 : 1;
        }
    }

    private static int bench(String[] args) {
        boolean quick = false;
        long latency = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--model-latency-ms" -> latency = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: ./sessionflow bench [--quick] [--model-latency-ms N]");
                    return 2;
                }
            }
        }
        System.setProperty("SESSIONFLOW_LOG_LEVEL", System.getenv().getOrDefault("SESSIONFLOW_LOG_LEVEL", "WARN"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SESSIONFLOW_GATEWAY_PORT", "0");
        env.put("SESSIONFLOW_TOPIC_PREFIX", "bench.");
        env.remove("SESSIONFLOW_COMPONENTS"); // the built-in bench-agent: history, summary and context on
        env.put("SESSIONFLOW_MODEL", "synthetic:" + latency + "ms");
        env.putIfAbsent("DATABASE_POOL_SIZE", "16");
        String adminKey = withGeneratedAdminKey(env);
        try (EmbeddedDefaults embedded = EmbeddedDefaults.fill(env);
             Pipeline pipeline = Pipeline.open(new Env(embedded.env()))) {
            Gateway gateway = startEverything(pipeline);
            return new io.sessionflow.launcher.bench.Benchmark(new io.sessionflow.launcher.bench.Benchmark.Target(gateway.url(), adminKey,
                    new io.sessionflow.kafka.KafkaClients(pipeline.settings().kafka()), pipeline.database(), embedded.env()), quick, latency).run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static int dev() {
        Map<String, String> configured = new HashMap<>(System.getenv());
        String adminKey = withGeneratedAdminKey(configured);
        EmbeddedDefaults embedded = EmbeddedDefaults.fill(configured);
        Pipeline pipeline = Pipeline.open(new Env(embedded.env()));
        Gateway gateway = startEverything(pipeline);
        Map<String, String> env = embedded.env();
        System.out.println("Sessionflow is up.");
        System.out.println("  gateway:  " + gateway.url());
        System.out.println("  admin key (generated for this run): " + adminKey);
        System.out.println("  Kafka:    " + env.get("KAFKA_BOOTSTRAP_SERVERS") + (embedded.embeddedKafka() ? " (embedded)" : ""));
        System.out.println("  Postgres: " + env.get("DATABASE_URL") + (embedded.embeddedPostgres() ? " (embedded)" : ""));
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl -s -X POST '" + gateway.url() + "/v1/agents/personal-assistant/runs?wait=true' \\");
        System.out.println("       -H 'Authorization: Bearer " + adminKey + "' \\");
        System.out.println("       -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"message\":\"What is my name?\",\"user_id\":\"user_1\",\"session_id\":\"s1\",\"session_state\":{\"user_name\":\"John\",\"age\":30}}'");
        System.out.println();
        System.out.println("  SESSIONFLOW_URL=" + gateway.url() + " SESSIONFLOW_API_KEY=" + adminKey + " ./sessionflow sessions list");
        System.out.println();
        System.out.println("More run-workers, from another terminal (they join the same consumer group):");
        System.out.println("  KAFKA_BOOTSTRAP_SERVERS=" + env.get("KAFKA_BOOTSTRAP_SERVERS") + " DATABASE_URL='" + env.get("DATABASE_URL") + "' \\");
        System.out.println("  DATABASE_USER=" + env.getOrDefault("DATABASE_USER", "") + " DATABASE_PASSWORD=" + (embedded.embeddedPostgres() ? env.get("DATABASE_PASSWORD") : "...") + " ./sessionflow run-worker");
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
        System.out.flush();
        awaitShutdown(() -> {
            pipeline.close();
            embedded.close();
        });
        return 0;
    }

    private static int service(String command) {
        Env env = Env.system();
        Pipeline pipeline = Pipeline.open(env);
        switch (command) {
            case "gateway" -> pipeline.startGateway();
            case "run-worker" -> {
                var worker = pipeline.startRunWorker();
                pipeline.startMetricsServer("runs.requested partitions", () -> !worker.assignedPartitions().isEmpty());
            }
            case "summarizer-worker" -> {
                var worker = pipeline.startSummarizer();
                pipeline.startMetricsServer("runs.completed partitions", () -> !worker.worker().assignedPartitions().isEmpty());
            }
            case "context-worker" -> {
                var worker = pipeline.startContextWorker();
                pipeline.startMetricsServer("runs.completed partitions", () -> !worker.worker().assignedPartitions().isEmpty());
            }
            default -> throw new IllegalArgumentException(command);
        }
        awaitShutdown(pipeline::close);
        return 0;
    }

    /** Every service in this process, the gateway last (so it accepts runs once workers are there). */
    private static Gateway startEverything(Pipeline pipeline) {
        pipeline.startRunWorker();
        pipeline.startSummarizer();
        pipeline.startContextWorker();
        return pipeline.startGateway();
    }

    /** Adds a freshly generated admin key to the configured ones (dev and demo print it). @return the key */
    private static String withGeneratedAdminKey(Map<String, String> env) {
        String key = ApiKeys.generate();
        String configured = env.getOrDefault("SESSIONFLOW_API_KEYS", "");
        env.put("SESSIONFLOW_API_KEYS", (configured.isBlank() ? "" : configured + ",") + "admin=" + ApiKeys.hash(key));
        return key;
    }

    /** Blocks until SIGTERM or Ctrl-C, then stops gracefully before the JVM exits. */
    private static void awaitShutdown(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
