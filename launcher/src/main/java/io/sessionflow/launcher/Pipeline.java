package io.sessionflow.launcher;

import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.config.Env;
import io.sessionflow.config.PipelineSettings;
import io.sessionflow.context.ContextWorker;
import io.sessionflow.gateway.Gateway;
import io.sessionflow.gateway.GatewaySettings;
import io.sessionflow.gateway.auth.AuthSettings;
import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.gateway.webhook.WebhookSettings;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.TopicSetup;
import io.sessionflow.model.ConfiguredModels;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.runworker.RunProcessor;
import io.sessionflow.runworker.RunWorker;
import io.sessionflow.runworker.RunWorkerSettings;
import io.sessionflow.store.Database;
import io.sessionflow.summarizer.SummarizerWorker;
import io.sessionflow.worker.SnapshotSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionflow.metrics.Metrics;
import io.sessionflow.metrics.MetricsServer;
import io.sessionflow.health.Readiness;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the services of one process from its configuration: the database (migrated), the Kafka
 * clients (topics created), the components and the models. Services started here are stopped in
 * reverse order by {@link #close()}.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final Env env;
    private final PipelineSettings settings;
    private final Database database;
    private final KafkaClients clients;
    private final ComponentRegistry components;
    private final ModelCatalog models;
    private final List<AutoCloseable> services = new ArrayList<>();
    private final PrometheusMeterRegistry metrics = Metrics.prometheus();

    private Pipeline(Env env, PipelineSettings settings, ModelCatalog models) {
        this.env = env;
        this.settings = settings;
        this.components = ComponentRegistry.load(settings.componentsFile());
        this.models = models != null ? models : new ConfiguredModels(settings.model());
        this.clients = new KafkaClients(settings.kafka(), metrics);
        this.database = Database.open(settings.database(), "sessionflow", metrics);
        TopicSetup.ensureTopics(clients);
    }

    /** Reads and checks the whole configuration first, reporting every problem at once. */
    static Pipeline open(Env env) {
        return open(env, null);
    }

    static Pipeline open(Env env, ModelCatalog models) {
        PipelineSettings settings = PipelineSettings.read(env);
        env.check();
        log.info("configuration: {} {} {}", settings.kafka(), settings.database(), settings.model());
        return new Pipeline(env, settings, models);
    }

    Gateway startGateway() {
        GatewaySettings gatewaySettings = GatewaySettings.read(env);
        Authenticator authenticator = AuthSettings.read(env);
        WebhookSettings webhooks = WebhookSettings.read(env);
        env.check();
        return track(new Gateway(gatewaySettings, authenticator, database, clients, components, metrics, webhooks).start());
    }

    RunWorker startRunWorker() {
        RunWorkerSettings workerSettings = RunWorkerSettings.read(env);
        env.check();
        RunProcessor processor = track(new RunProcessor(database, components, models, workerSettings, metrics, Clock.systemUTC()));
        return track(new RunWorker(clients, processor, workerSettings, metrics).start());
    }

    SummarizerWorker startSummarizer() {
        SnapshotSettings snapshotSettings = SnapshotSettings.read(env, "SUMMARY", SummarizerWorker.GROUP);
        env.check();
        return track(new SummarizerWorker(clients, database, components, models, snapshotSettings, metrics).start());
    }

    ContextWorker startContextWorker() {
        SnapshotSettings snapshotSettings = SnapshotSettings.read(env, "CONTEXT", ContextWorker.GROUP);
        env.check();
        return track(new ContextWorker(clients, database, components, models, snapshotSettings, metrics).start());
    }

    /** User memories (issue 15); runs in the context-worker process. Variables: SESSIONFLOW_MEMORY_EVERY_RUNS and the like. */
    io.sessionflow.memory.MemoryWorker startMemoryWorker() {
        SnapshotSettings memorySettings = SnapshotSettings.read(env, "MEMORY", io.sessionflow.memory.MemoryWorker.GROUP);
        env.check();
        return track(new io.sessionflow.memory.MemoryWorker(clients, database, components, models, memorySettings, metrics).start());
    }

    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * For worker processes, which have no HTTP API: {@code /metrics}, {@code /health/live} and
     * {@code /health/ready} on {@code SESSIONFLOW_METRICS_PORT} (0 picks a free port). Ready while
     * Postgres and Kafka answer and the worker has partitions.
     */
    MetricsServer startMetricsServer(String work, java.util.function.BooleanSupplier hasWork) {
        int port = env.integer("SESSIONFLOW_METRICS_PORT", 0, 0, 65535);
        env.check();
        Readiness readiness = track(new Readiness(database, clients).requireWork(work, hasWork));
        MetricsServer server = track(new MetricsServer(metrics, env.string("SESSIONFLOW_METRICS_HOST", "0.0.0.0"), port, readiness).start());
        log.info("metrics on http://127.0.0.1:{}/metrics", server.port());
        return server;
    }

    Database database() {
        return database;
    }

    PipelineSettings settings() {
        return settings;
    }

    private <T extends AutoCloseable> T track(T service) {
        services.add(service);
        return service;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                log.warn("could not stop {} cleanly: {}", services.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        database.close();
    }
}
