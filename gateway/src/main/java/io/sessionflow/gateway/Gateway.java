package io.sessionflow.gateway;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.concurrent.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.health.Readiness;
import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.gateway.openai.OpenAiFacade;
import io.sessionflow.gateway.reprocess.JobRunner;
import io.sessionflow.gateway.forget.ForgetApi;
import io.sessionflow.gateway.forget.ForgetRunner;
import io.sessionflow.gateway.reprocess.ReprocessApi;
import io.sessionflow.gateway.stream.LiveRunEvents;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.gateway.usage.UsageApi;
import io.sessionflow.gateway.console.Console;
import io.sessionflow.gateway.webhook.WebhookDispatcher;
import io.sessionflow.gateway.webhook.WebhookSettings;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP gateway: accepts runs onto Kafka and serves runs from Postgres. */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** Generous: the JDK server the gateway ran on before set no limit this low, and ids are short anyway. */
    private static final int MAX_REQUEST_LINE_BYTES = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final GatewaySettings settings;
    private final Database database;
    private final KafkaClients clients;
    private final ComponentRegistry components;
    private final Router router;
    private KafkaProducer<String, byte[]> producer;
    private RunAcceptor acceptor;
    private CompletionWaiter waiter;
    private LiveRunEvents liveEvents;
    private JobRunner jobRunner;
    private ForgetRunner forgetRunner;
    private Backlog backlog;
    private Vertx vertx;
    private HttpServer server;
    private ExecutorService executor;

    private final PrometheusMeterRegistry metrics;

    private final WebhookSettings webhooks;
    private WebhookDispatcher dispatcher;
    private Readiness readiness;
    private SessionRetention retention;

    public Gateway(GatewaySettings settings, Authenticator authenticator, Database database, KafkaClients clients,
                   ComponentRegistry components, PrometheusMeterRegistry metrics, WebhookSettings webhooks) {
        this.metrics = metrics;
        this.webhooks = webhooks;
        this.settings = settings;
        this.database = database;
        this.clients = clients;
        this.components = components;
        this.router = new Router(settings.maxBodyBytes(), authenticator);
    }

    public Gateway start() {
        producer = clients.producer("gateway");
        waiter = new CompletionWaiter(clients).start();
        liveEvents = new LiveRunEvents(clients).start();
        backlog = new Backlog(database, settings.maxBacklog()).start();
        if (webhooks.enabled()) {
            dispatcher = new WebhookDispatcher(database, components, webhooks, clients).start();
        }
        acceptor = new RunAcceptor(database, components, producer, clients.topics().runsRequested(), Clock.systemUTC(), webhooks);
        new RunsApi(acceptor, waiter, database, settings, backlog, new RunEventReader(clients), liveEvents, metrics).register(router);
        SessionDeletions deletions = new SessionDeletions(metrics);
        new OpenAiFacade(acceptor, waiter, backlog, settings, database, components, new RunEventReader(clients), deletions).register(router);
        new SessionsApi(database, components, settings, deletions).register(router);
        if (settings.sessionRetention() != null) {
            retention = new SessionRetention(database, settings.sessionRetention(), SessionRetention.BATCH, Duration.ofHours(1),
                    Duration.ofSeconds(1), deletions, Clock.systemUTC()).start();
        }
        new ReprocessApi(database, components, Clock.systemUTC(), clients.topics().prefix()).register(router);
        new MemoriesApi(database, new MemoryAnnouncer(producer, clients.topics().usersChanged()), Clock.systemUTC()).register(router);
        new UsageApi(database).register(router);
        new Console().register(router);
        forgetRunner = new ForgetRunner(database, Clock.systemUTC()).start();
        new ForgetApi(database, forgetRunner, Clock.systemUTC()).register(router);
        jobRunner = new JobRunner(database, components, producer, clients.topics().sessionsReprocess(), settings.reprocessRate(),
                Clock.systemUTC(), clients.topics().prefix()).start();
        readiness = new Readiness(database, clients);
        new HealthApi(readiness).register(router);
        router.openRoute("GET", "/metrics", call -> call.respondText(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        router.openRoute("GET", "/v1/openapi.yaml", call -> call.respondText(200, "application/yaml", OpenApi.document()));
        // Vert.x: its event loops only parse requests and write answers, so a wait=true request or an
        // open event stream holds no thread; handlers block (JDBC, Kafka sends), so they run on this
        // bounded pool instead. Its raw request target reaches the router even when it cannot be
        // decoded, so that too is answered as JSON.
        executor = Executors.newFixedThreadPool(settings.httpThreads(), DaemonThreads.numbered("gateway-http-"));
        vertx = Vertx.vertx();
        router.serveWith(vertx, executor);
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setAcceptBacklog(1024).setHandle100ContinueAutomatically(true)
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES);
        try {
            server = await(vertx.createHttpServer(options).requestHandler(router).listen());
        } catch (RuntimeException e) {
            close();
            throw new GatewayStartException("could not listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        log.info("gateway listening on {}", url());
        return this;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return "http://" + host + ":" + server.actualPort();
    }

    public java.util.List<String> routes() {
        return router.routes();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                await(server.close());
            }
            if (vertx != null) {
                await(vertx.close());
            }
        } catch (RuntimeException e) {
            log.warn("the HTTP server did not stop cleanly", e);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (jobRunner != null) {
            jobRunner.close();
        }
        if (forgetRunner != null) {
            forgetRunner.close();
        }
        if (retention != null) {
            retention.close();
        }
        if (acceptor != null) {
            acceptor.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (readiness != null) {
            readiness.close();
        }
        if (backlog != null) {
            backlog.close();
        }
        if (waiter != null) {
            waiter.close();
        }
        if (liveEvents != null) {
            liveEvents.close();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while starting or stopping the HTTP server", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new GatewayStartException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /** Liveness (the process answers) and readiness (Postgres and Kafka answer). */
    private record HealthApi(Readiness readiness) {
        void register(Router router) {
            router.openRoute("GET", "/health/live", call -> call.respond(200, Map.of("status", "up")));
            router.openRoute("GET", "/health/ready", call -> {
                Readiness.Report report = readiness.check();
                call.respond(report.ready() ? 200 : 503, report.toJson());
            });
        }
    }
}
