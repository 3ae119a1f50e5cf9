package io.sessionflow.gateway.webhook;

import io.sessionflow.worker.DaemonThreads;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.RunEvent;
import io.sessionflow.gateway.RunView;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import io.sessionflow.store.RunRecord;
import io.sessionflow.store.RunStore;
import io.sessionflow.worker.OrderedConsumer;
import io.sessionflow.worker.RecordTicket;
import io.sessionflow.worker.SessionLanes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each finished run to its webhook (the run's {@code webhook_url}, else its component's):
 * a consumer group on {@code runs.events}, so every gateway shares the work and each run is
 * delivered by one of them. A POST signed with HMAC-SHA256, retried with doubling pauses; a
 * delivery that fails every try goes to {@code webhooks.dlq}. Delivered runs are recorded, so a
 * redelivered event does not POST again: one delivery per run, unless the receiver failed.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Database database;
    private final ComponentRegistry components;
    private final WebhookSettings settings;
    private final KafkaClients clients;
    private final HttpClient http;
    private final RunStore runs = new RunStore();
    private final ExecutorService executor = Executors.newFixedThreadPool(16, DaemonThreads.named("webhooks"));
    private final SessionLanes lanes = new SessionLanes(executor);
    private KafkaProducer<String, byte[]> producer;
    private OrderedConsumer<RunEvent> consumer;

    public WebhookDispatcher(Database database, ComponentRegistry components, WebhookSettings settings, KafkaClients clients) {
        this.database = database;
        this.components = components;
        this.settings = settings;
        this.clients = clients;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    public WebhookDispatcher start() {
        producer = clients.producer("webhooks");
        consumer = new OrderedConsumer<>(clients, clients.topics().prefix() + "webhooks", "webhooks", clients.topics().runsEvents(),
                RunEvent::sessionId, (event, ticket) -> {
                    if (!event.isFinal()) {
                        ticket.done();
                    } else {
                        lanes.submit(event.sessionId(), () -> deliver(event, ticket));
                    }
                }, producer, 10_000, Duration.ofSeconds(10)).start();
        return this;
    }

    private void deliver(RunEvent event, RecordTicket ticket) {
        try {
            Optional<RunRecord> found = database.withConnection(c -> runs.find(c, event.runId()));
            Optional<String> url = found.flatMap(this::webhookOf);
            if (url.isEmpty() || alreadyDelivered(event.runId())) {
                ticket.done();
                return;
            }
            RunRecord run = found.get();
            ObjectNode payload = Json.object().put("event", "run." + run.status().wireName());
            payload.set("run", RunView.of(run));
            byte[] body = Json.toBytes(payload);
            String problem = "no attempt";
            for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
                if (ticket.isRevoked()) {
                    ticket.abandon();
                    return;
                }
                problem = post(url.get(), run, body, attempt);
                if (problem == null) {
                    recordDelivery(run.runId(), url.get(), attempt);
                    ticket.done();
                    return;
                }
                log.warn("webhook for run {} to {}: attempt {} of {} failed: {}", run.runId(), url.get(), attempt, settings.maxAttempts(), problem);
                if (attempt < settings.maxAttempts()) {
                    Thread.sleep(settings.firstRetry().toMillis() << Math.min(attempt - 1, 10));
                }
            }
            deadLetter(run, url.get(), body, problem);
            ticket.done();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticket.abandon();
        } catch (RuntimeException e) {
            log.error("webhook delivery of run {} failed; left for redelivery", event.runId(), e);
            ticket.abandon();
        }
    }

    /** @return null when the receiver accepted it (2xx), else what went wrong */
    private String post(String url, RunRecord run, byte[] body, int attempt) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("X-Sessionflow-Event", "run." + run.status().wireName())
                .header("X-Sessionflow-Delivery", run.runId())
                .header("X-Sessionflow-Attempt", Integer.toString(attempt))
                .header("X-Sessionflow-Timestamp", timestamp)
                .header("X-Sessionflow-Signature", WebhookSignature.sign(settings.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "the receiver answered " + response.statusCode();
        } catch (java.io.IOException e) {
            return "could not reach the receiver: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Optional<String> webhookOf(RunRecord run) {
        String own = run.input().path("webhook_url").asText(null);
        if (own != null) {
            return Optional.of(own);
        }
        return components.find(run.componentType(), run.componentId()).map(ComponentDefinition::webhookUrl);
    }

    private boolean alreadyDelivered(String runId) {
        return database.withConnection(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM webhook_deliveries WHERE run_id = ?")) {
                select.setString(1, runId);
                return select.executeQuery().next();
            }
        });
    }

    private void recordDelivery(String runId, String url, int attempts) {
        database.withConnection(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO webhook_deliveries (run_id, url, attempts) VALUES (?, ?, ?) ON CONFLICT (run_id) DO NOTHING")) {
                insert.setString(1, runId);
                insert.setString(2, url);
                insert.setInt(3, attempts);
                return insert.executeUpdate();
            }
        });
    }

    private void deadLetter(RunRecord run, String url, byte[] body, String problem) throws InterruptedException {
        log.error("webhook for run {} to {} failed {} times; dead-lettered: {}", run.runId(), url, settings.maxAttempts(), problem);
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(clients.topics().webhooksDeadLetter().name(), run.sessionId(), body);
        letter.headers().add("sessionflow.webhook.url", url.getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.webhook.reason", problem.getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.run_id", run.runId().getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.webhook.attempts", Integer.toString(settings.maxAttempts()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(letter).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not dead-letter the webhook of run " + run.runId(), e);
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        executor.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
