package io.sessionflow.launcher;

import io.sessionflow.config.ConfigException;
import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
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
                case "gateway", "run-worker", "summarizer-worker", "context-worker" -> service(command);
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
        System.err.println("starting embedded Kafka and Postgres (unless configured) and every service...");
        try (EmbeddedDefaults embedded = EmbeddedDefaults.fill(env);
             Pipeline pipeline = Pipeline.open(new Env(embedded.env()))) {
            pipeline.startRunWorker();
            pipeline.startSummarizer();
            pipeline.startContextWorker();
            Gateway gateway = pipeline.startGateway();
            List<String> failures = new Demo(new GatewayClient(gateway.url()), System.out).run();
            return failures.isEmpty() ? 0 : 1;
        }
    }

    private static int dev() {
        EmbeddedDefaults embedded = EmbeddedDefaults.fill(System.getenv());
        Pipeline pipeline = Pipeline.open(new Env(embedded.env()));
        pipeline.startRunWorker();
        pipeline.startSummarizer();
        pipeline.startContextWorker();
        Gateway gateway = pipeline.startGateway();
        Map<String, String> env = embedded.env();
        System.out.println("Sessionflow is up.");
        System.out.println("  gateway:  " + gateway.url());
        System.out.println("  Kafka:    " + env.get("KAFKA_BOOTSTRAP_SERVERS") + (embedded.embeddedKafka() ? " (embedded)" : ""));
        System.out.println("  Postgres: " + env.get("DATABASE_URL") + (embedded.embeddedPostgres() ? " (embedded)" : ""));
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl -s -X POST '" + gateway.url() + "/v1/agents/personal-assistant/runs?wait=true' \\");
        System.out.println("       -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"message\":\"What is my name?\",\"user_id\":\"user_1\",\"session_id\":\"s1\",\"session_state\":{\"user_name\":\"John\",\"age\":30}}'");
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
                pipeline.startRunWorker();
                pipeline.startMetricsServer();
            }
            case "summarizer-worker" -> {
                pipeline.startSummarizer();
                pipeline.startMetricsServer();
            }
            case "context-worker" -> {
                pipeline.startContextWorker();
                pipeline.startMetricsServer();
            }
            default -> throw new IllegalArgumentException(command);
        }
        awaitShutdown(pipeline::close);
        return 0;
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
