package io.sessionflow.gateway;

import io.sessionflow.concurrent.DaemonThreads;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.health.Readiness;
import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.gateway.reprocess.JobRunner;
import io.sessionflow.gateway.reprocess.ReprocessApi;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.gateway.webhook.WebhookDispatcher;
import io.sessionflow.gateway.webhook.WebhookSettings;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP gateway: accepts runs onto Kafka and serves runs from Postgres. */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewaySettings settings;
    private final Database database;
    private final KafkaClients clients;
    private final ComponentRegistry components;
    private final Router router;
    private KafkaProducer<String, byte[]> producer;
    private RunAcceptor acceptor;
    private CompletionWaiter waiter;
    private JobRunner jobRunner;
    private Backlog backlog;
    private HttpServer server;
    private ExecutorService executor;

    private final PrometheusMeterRegistry metrics;

    private final WebhookSettings webhooks;
    private WebhookDispatcher dispatcher;
    private Readiness readiness;

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
        backlog = new Backlog(database, settings.maxBacklog()).start();
        if (webhooks.enabled()) {
            dispatcher = new WebhookDispatcher(database, components, webhooks, clients).start();
        }
        acceptor = new RunAcceptor(database, components, producer, clients.topics().runsRequested(), Clock.systemUTC(), webhooks);
        new RunsApi(acceptor, waiter, database, settings, backlog, new RunEventReader(clients), metrics).register(router);
        new SessionsApi(database, components, settings).register(router);
        new ReprocessApi(database, components, Clock.systemUTC(), clients.topics().prefix()).register(router);
        jobRunner = new JobRunner(database, components, producer, clients.topics().sessionsReprocess(), settings.reprocessRate(),
                Clock.systemUTC(), clients.topics().prefix()).start();
        readiness = new Readiness(database, clients);
        new HealthApi(readiness).register(router);
        router.openRoute("GET", "/metrics", call -> call.respondText(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        router.openRoute("GET", "/v1/openapi.yaml", call -> call.respondText(200, "application/yaml", OpenApi.document()));
        executor = Executors.newFixedThreadPool(settings.httpThreads(), DaemonThreads.numbered("gateway-http-"));
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + settings.host() + ":" + settings.port(), e);
        }
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        log.info("gateway listening on {}", url());
        return this;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    public java.util.List<String> routes() {
        return router.routes();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(1);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (jobRunner != null) {
            jobRunner.close();
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
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
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
