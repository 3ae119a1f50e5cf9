package io.sessionflow.bench;

import io.sessionflow.config.Env;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.gateway.auth.ApiKeys;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.launcher.EmbeddedDefaults;
import io.sessionflow.launcher.Pipeline;
import io.sessionflow.model.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sessionflow bench [--quick] [--model-latency-ms N]}: every service in this process on the
 * embedded (or configured) Kafka and Postgres, the benchmark's components, and every model spec resolved
 * to the synthetic model. The script runs this class from the bench module's own jar.
 */
@Command(name = "./sessionflow bench", mixinStandardHelpOptions = true,
        description = "measures throughput, latency, flat cost, concurrency and freshness (results/)")
public final class Bench implements Callable<Integer> {

    @Option(names = "--quick", description = "a short run")
    boolean quick;

    @Option(names = "--latency", description = "only Agno's workload and the flat-cost run (a few minutes; writes results/latency-*.json)")
    boolean latencyOnly;

    @Option(names = "--model-latency-ms", paramLabel = "N", description = "the synthetic model's latency (default: 0)")
    long modelLatencyMs;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Bench());
    }

    @Override
    public Integer call() throws IOException {
        System.setProperty("SESSIONFLOW_LOG_LEVEL", System.getenv().getOrDefault("SESSIONFLOW_LOG_LEVEL", "WARN"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SESSIONFLOW_GATEWAY_PORT", "0");
        env.put("SESSIONFLOW_TOPIC_PREFIX", "bench.");
        env.put("SESSIONFLOW_COMPONENTS", components().toString());
        // Settings must name a real spec; the catalog below answers every spec with the synthetic model.
        env.put("SESSIONFLOW_MODEL", "local");
        env.putIfAbsent("DATABASE_POOL_SIZE", "16");
        String adminKey = ApiKeys.generate();
        String configured = env.getOrDefault("SESSIONFLOW_API_KEYS", "");
        env.put("SESSIONFLOW_API_KEYS", (configured.isBlank() ? "" : configured + ",") + "admin=" + ApiKeys.hash(adminKey));
        ModelCatalog synthetic = ModelCatalog.fixed(new SyntheticModel(Duration.ofMillis(modelLatencyMs)));
        try (EmbeddedDefaults embedded = EmbeddedDefaults.fill(env);
             Pipeline pipeline = Pipeline.open(new Env(embedded.env()), synthetic)) {
            pipeline.startRunWorker();
            pipeline.startSummarizer();
            pipeline.startContextWorker();
            pipeline.startMemoryWorker();
            Gateway gateway = pipeline.startGateway(); // last, so it accepts runs once the workers are there
            return new Benchmark(new Benchmark.Target(gateway.url(), adminKey, new KafkaClients(pipeline.settings().kafka()),
                    pipeline.database(), embedded.env()), quick, latencyOnly, modelLatencyMs).run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    /** The benchmark's components, copied out of this jar: SESSIONFLOW_COMPONENTS names a file. */
    private static Path components() throws IOException {
        Path file = Files.createTempFile("sessionflow-bench-components", ".yaml");
        file.toFile().deleteOnExit();
        try (InputStream in = Bench.class.getResourceAsStream("/bench-components.yaml")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
