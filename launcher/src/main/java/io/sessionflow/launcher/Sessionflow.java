package io.sessionflow.launcher;

import io.sessionflow.config.Env;
import io.sessionflow.config.Secrets;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.gateway.auth.ApiKeys;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code ./sessionflow} command: its root, and the commands that start services ({@link Cli} parses and dispatches). */
public final class Sessionflow {

    private Sessionflow() {
    }

    public static void main(String[] args) {
        System.exit(new Cli(System.out, System.err).main(args));
    }

    @Command(name = "./sessionflow", description = "Sessionflow: agent and team runs over Kafka and Postgres.",
            // Lines under 80 columns: picocli wraps longer ones mid-word.
            footer = {"", "Commands that talk to a gateway take --url (or SESSIONFLOW_URL,",
                    "default " + Cli.DEFAULT_URL + ") and --key (or SESSIONFLOW_API_KEY),",
                    "and print a table, or JSON with --json.", "",
                    "Configuration is read from the environment; see README.md",
                    "(KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, SESSIONFLOW_COMPONENTS,",
                    "SESSIONFLOW_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY, ...).",
                    "", "./sessionflow COMMAND --help shows a command's usage.",
                    "./sessionflow bench [--quick] runs the benchmark (module bench/,",
                    "its own jar: the benchmark is not part of this one)."})
    static final class Root implements Runnable {
        @Spec
        CommandSpec spec;

        /** No command: the usage, as {@code help} prints it. */
        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** demo, dev and the four services, in the order the usage lists them. */
    static void addServiceCommands(CommandLine root) {
        root.addSubcommand(new DemoCommand());
        root.addSubcommand(new Dev());
        for (Map.Entry<String, String> service : List.of(
                Map.entry("gateway", "runs the HTTP gateway against the configured Kafka and Postgres"),
                Map.entry("run-worker", "runs one run-worker (start several: they share the partitions of one consumer group)"),
                Map.entry("summarizer-worker", "runs the summarizer-worker: keeps session summaries up to date"),
                Map.entry("context-worker", "runs the context-worker: keeps session-context snapshots up to date"))) {
            CommandLine command = new CommandLine(new Service(service.getKey()));
            command.getCommandSpec().name(service.getKey()).usageMessage().description(service.getValue());
            root.addSubcommand(service.getKey(), command);
        }
    }

    @Command(name = "demo", description = "runs Agno's session examples end to end on an embedded Kafka and Postgres, prints the transcript")
    static final class DemoCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            // Keep the terminal for the transcript; warnings and errors still show.
            System.setProperty("SESSIONFLOW_LOG_LEVEL", System.getenv().getOrDefault("SESSIONFLOW_LOG_LEVEL", "WARN"));
            return demo();
        }
    }

    @Command(name = "dev", description = "starts everything (embedded Kafka and Postgres unless configured) and stays up")
    static final class Dev implements Callable<Integer> {
        @Override
        public Integer call() {
            return dev();
        }
    }

    /** One of the four services, against the configured Kafka and Postgres. */
    @Command
    static final class Service implements Callable<Integer> {
        private final String name;

        Service(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            return service(name);
        }
    }

    @Command(name = "hash-key", description = "prints the SHA-256 of an API key, for SESSIONFLOW_API_KEYS")
    static final class HashKey implements Callable<Integer> {
        @Parameters(paramLabel = "KEY", description = "the API key")
        String key;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(ApiKeys.hash(key));
            return 0;
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
        // A configured URL may carry a password; the embedded one's throw-away credentials are what a second terminal needs.
        String databaseUrl = embedded.embeddedPostgres() ? env.get("DATABASE_URL") : Secrets.url(env.get("DATABASE_URL"));
        System.out.println("  Postgres: " + databaseUrl + (embedded.embeddedPostgres() ? " (embedded)" : ""));
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
        System.out.println("  KAFKA_BOOTSTRAP_SERVERS=" + env.get("KAFKA_BOOTSTRAP_SERVERS") + " DATABASE_URL='" + databaseUrl + "' \\");
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
        Set<Pipeline.Service> services = switch (command) {
            case "gateway" -> EnumSet.of(Pipeline.Service.GATEWAY);
            case "run-worker" -> EnumSet.of(Pipeline.Service.RUN_WORKER, Pipeline.Service.METRICS);
            case "summarizer-worker" -> EnumSet.of(Pipeline.Service.SUMMARIZER, Pipeline.Service.METRICS);
            case "context-worker" -> EnumSet.of(Pipeline.Service.CONTEXT_WORKER, Pipeline.Service.METRICS);
            default -> throw new IllegalArgumentException(command);
        };
        Pipeline pipeline = Pipeline.open(Env.system(), null, services);
        switch (command) {
            case "gateway" -> pipeline.startGateway();
            case "run-worker" -> {
                var worker = pipeline.startRunWorker();
                pipeline.startMetricsServer("runs.requested partitions", () -> !worker.assignedPartitions().isEmpty());
            }
            case "summarizer-worker" -> {
                var worker = pipeline.startSummarizer();
                pipeline.startUsageAccounting();
                pipeline.startMetricsServer("runs.completed partitions", () -> !worker.worker().assignedPartitions().isEmpty());
            }
            case "context-worker" -> {
                var worker = pipeline.startContextWorker();
                pipeline.startMemoryWorker();
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
        pipeline.startUsageAccounting();
        pipeline.startContextWorker();
        pipeline.startMemoryWorker();
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
