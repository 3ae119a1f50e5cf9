package io.sessionflow.bench;

import io.sessionflow.config.Env;
import io.sessionflow.launcher.Pipeline;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.runworker.RunWorker;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;

/**
 * The concurrency phase's worker process: what {@code ./sessionflow run-worker} starts (the same
 * {@link Pipeline} wiring, its {@code /metrics}), with the synthetic model of the latency given as its
 * one argument, which the production command does not know.
 */
public final class BenchWorker {

    private BenchWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        ModelCatalog synthetic = ModelCatalog.fixed(new SyntheticModel(Duration.ofMillis(Long.parseLong(args[0]))));
        Pipeline pipeline = Pipeline.open(Env.system(), synthetic, EnumSet.of(Pipeline.Service.RUN_WORKER, Pipeline.Service.METRICS));
        RunWorker worker = pipeline.startRunWorker();
        pipeline.startMetricsServer("runs.requested partitions", () -> !worker.assignedPartitions().isEmpty());
        // The benchmark stops it with SIGTERM: the hook stops the worker, and the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "shutdown"));
        new CountDownLatch(1).await();
    }
}
