package io.sessionflow.launcher;

import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.config.ConfigException;
import io.sessionflow.config.Env;
import io.sessionflow.config.PipelineSettings;
import io.sessionflow.context.ContextWorker;
import io.sessionflow.memory.MemoryWorker;
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
import io.sessionflow.usage.UsageAccounting;
import io.sessionflow.snapshot.SnapshotSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionflow.metrics.Metrics;
import io.sessionflow.metrics.MetricsServer;
import io.sessionflow.health.Readiness;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the services of one process from its configuration: the database (migrated), the Kafka
 * clients (topics created), the components and the models. Services started here are stopped in
 * reverse order by {@link #close()}. Public for the benchmark (module bench/), which runs the same wiring
 * with its synthetic model.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    /** What a process may run; only the settings of the services it runs are read (a worker needs no API keys). */
    public enum Service { GATEWAY, RUN_WORKER, SUMMARIZER, CONTEXT_WORKER, METRICS }

    /** Workers' {@code /metrics} and health port: any free one unless {@code SESSIONFLOW_METRICS_PORT} says which. */
    static final int DEFAULT_METRICS_PORT = 0;
    static final String DEFAULT_METRICS_HOST = "0.0.0.0";

    /**
     * Every setting of the services this process runs, read and checked together in {@link #open} before
     * anything is connected; a service that is not run has null settings.
     */
    record ServiceSettings(GatewaySettings gateway, Authenticator auth, WebhookSettings webhooks, RunWorkerSettings runWorker,
                           SnapshotSettings summarizer, SnapshotSettings contextWorker, SnapshotSettings memory,
                           String metricsHost, int metricsPort) {

        static ServiceSettings read(Env env, Set<Service> services, PipelineSettings common) {
            boolean gateway = services.contains(Service.GATEWAY);
            boolean metrics = services.contains(Service.METRICS);
            boolean workers = services.contains(Service.RUN_WORKER) || services.contains(Service.SUMMARIZER)
                    || services.contains(Service.CONTEXT_WORKER);
            Duration grace = workers ? PipelineSettings.shutdownGrace(env) : null;
            String prefix = common.topicPrefix();
            return new ServiceSettings(
                    gateway ? GatewaySettings.read(env) : null,
                    gateway ? AuthSettings.read(env) : null,
                    gateway ? WebhookSettings.read(env) : null,
                    services.contains(Service.RUN_WORKER) ? RunWorkerSettings.read(env, prefix, grace) : null,
                    services.contains(Service.SUMMARIZER) ? SnapshotSettings.read(env, prefix, grace, "SUMMARY", SummarizerWorker.GROUP) : null,
                    services.contains(Service.CONTEXT_WORKER) ? SnapshotSettings.read(env, prefix, grace, "CONTEXT", ContextWorker.GROUP) : null,
                    // User memories are learnt in the context-worker process, beside the session contexts.
                    services.contains(Service.CONTEXT_WORKER) ? SnapshotSettings.read(env, prefix, grace, "MEMORY", MemoryWorker.GROUP) : null,
                    metrics ? env.string("SESSIONFLOW_METRICS_HOST", DEFAULT_METRICS_HOST) : null,
                    metrics ? env.integer("SESSIONFLOW_METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535) : DEFAULT_METRICS_PORT);
        }

        /** The settings of the services that run, as the log shows them (secrets masked by each record's own toString). */
        List<Object> present() {
            return java.util.stream.Stream.of(gateway, auth, webhooks, runWorker, summarizer, contextWorker, memory,
                    metricsHost == null ? null : "MetricsSettings[host=" + metricsHost + ", port=" + metricsPort + "]")
                    .filter(Objects::nonNull).toList();
        }

        private static <T> T required(T settings, Service service) {
            if (settings == null) {
                throw new IllegalStateException(service + " was not among the services this pipeline was opened for");
            }
            return settings;
        }
    }

    private final PipelineSettings settings;
    private final ServiceSettings services;
    private final Database database;
    private final KafkaClients clients;
    private final ComponentRegistry components;
    private final ModelCatalog models;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final PrometheusMeterRegistry metrics = Metrics.prometheus();

    private Pipeline(PipelineSettings settings, ServiceSettings services, ComponentRegistry components, ModelCatalog models) {
        this.settings = settings;
        this.services = services;
        this.components = components;
        this.models = models != null ? models : new ConfiguredModels(settings.model());
        this.clients = new KafkaClients(settings.kafka(), metrics);
        this.database = Database.open(settings.database(), "sessionflow", metrics);
        TopicSetup.ensureTopics(clients);
    }

    /** A pipeline that may run every service (one process running them all, and the tests). */
    static Pipeline open(Env env) {
        return open(env, null);
    }

    public static Pipeline open(Env env, ModelCatalog models) {
        return open(env, models, EnumSet.allOf(Service.class));
    }

    /**
     * Reads and checks the whole configuration of the services this process runs first, reporting every
     * problem at once in one {@link io.sessionflow.config.ConfigException}, before anything is migrated,
     * created or connected.
     */
    public static Pipeline open(Env env, ModelCatalog models, Set<Service> run) {
        PipelineSettings settings = PipelineSettings.read(env);
        ServiceSettings services = ServiceSettings.read(env, run, settings);
        ComponentRegistry components = null;
        try {
            components = ComponentRegistry.load(settings.componentsFile());
        } catch (ConfigException e) {
            e.problems().forEach(env::error); // reported with the environment's problems, in one list
        }
        env.check();
        log.info("configuration: {} {} {} components from {}", settings.kafka(), settings.database(), settings.model(),
                settings.componentsFile().map(Object::toString).orElse("the built-in file"));
        services.present().forEach(service -> log.info("configuration: {}", service));
        return new Pipeline(settings, services, components, models);
    }

    public Gateway startGateway() {
        return track(new Gateway(ServiceSettings.required(services.gateway(), Service.GATEWAY), services.auth(), database, clients,
                components, metrics, services.webhooks()).start());
    }

    public RunWorker startRunWorker() {
        RunWorkerSettings workerSettings = ServiceSettings.required(services.runWorker(), Service.RUN_WORKER);
        return track(new RunWorker(clients, events -> track(new RunProcessor(database, components, models, workerSettings, events, metrics,
                Clock.systemUTC())), workerSettings, metrics).start());
    }

    public SummarizerWorker startSummarizer() {
        SnapshotSettings snapshotSettings = ServiceSettings.required(services.summarizer(), Service.SUMMARIZER);
        return track(new SummarizerWorker(clients, database, components, models, snapshotSettings, metrics).start());
    }

    /**
     * Usage per user, component and model (GET /v1/usage): a Kafka Streams application in the
     * summarizer-worker process, beside the summaries it already keeps from the same completed runs.
     */
    public UsageAccounting startUsageAccounting() {
        SnapshotSettings snapshotSettings = ServiceSettings.required(services.summarizer(), Service.SUMMARIZER);
        return track(new UsageAccounting(clients, database, snapshotSettings.groupId() + "." + UsageAccounting.APPLICATION_ID).start());
    }

    public ContextWorker startContextWorker() {
        SnapshotSettings snapshotSettings = ServiceSettings.required(services.contextWorker(), Service.CONTEXT_WORKER);
        return track(new ContextWorker(clients, database, components, models, snapshotSettings, metrics).start());
    }

    /** User memories: learnt in the context-worker process (SESSIONFLOW_MEMORY_EVERY_RUNS and the like). */
    public MemoryWorker startMemoryWorker() {
        SnapshotSettings memorySettings = ServiceSettings.required(services.memory(), Service.CONTEXT_WORKER);
        return track(new MemoryWorker(clients, database, components, models, memorySettings, metrics).start());
    }

    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * For worker processes, which have no HTTP API: {@code /metrics}, {@code /health/live} and
     * {@code /health/ready} on {@code SESSIONFLOW_METRICS_PORT} (0 picks a free port). Ready while
     * Postgres and Kafka answer and the worker has partitions.
     */
    public MetricsServer startMetricsServer(String work, java.util.function.BooleanSupplier hasWork) {
        String host = ServiceSettings.required(services.metricsHost(), Service.METRICS);
        Readiness readiness = track(new Readiness(database, clients).requireWork(work, hasWork));
        MetricsServer server = track(new MetricsServer(metrics, host, services.metricsPort(), readiness).start());
        log.info("metrics on http://127.0.0.1:{}/metrics", server.port());
        return server;
    }

    public Database database() {
        return database;
    }

    public PipelineSettings settings() {
        return settings;
    }

    private <T extends AutoCloseable> T track(T service) {
        started.add(service);
        return service;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("could not stop {} cleanly: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        database.close();
    }
}
