package io.sessionflow.gateway.webhook;

import io.sessionflow.concurrent.DaemonThreads;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.RunEvent;
import io.sessionflow.gateway.RunView;
import io.sessionflow.gateway.store.WebhookDeliveries;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.outbound.PinnedHttpPost;
import io.sessionflow.outbound.RefusedTargetException;
import io.sessionflow.run.Backoff;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.kafka.consumer.OrderedConsumer;
import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.SessionLanes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * delivered by one of them. A POST signed with HMAC-SHA256, retried with {@link Backoff} pauses; a
 * delivery that fails every try, or whose target is refused ({@link WebhookSettings#targets()}),
 * goes to {@code webhooks.dlq}. Delivered runs are recorded, so a
 * redelivered event does not POST again: one delivery per run, unless the receiver failed.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Database database;
    private final ComponentRegistry components;
    private final WebhookSettings settings;
    /** The pause between deliveries grows from the first retry's for ten doublings, then stays there. */
    private static final int LAST_RETRY_FACTOR = 1 << 10;

    /**
     * Pauses between deliveries, database steps and dead-letter tries. This layer retries because a
     * receiver (or the database, or the broker) may be briefly away; a delivery has
     * SESSIONFLOW_WEBHOOK_MAX_ATTEMPTS tries, then is dead-lettered.
     */
    private final Backoff retries;
    private final KafkaClients clients;
    private final PinnedHttpPost http;
    private final RunStore runs = new RunStore();
    private final WebhookDeliveries deliveries = new WebhookDeliveries();
    private final ExecutorService executor = Executors.newFixedThreadPool(16, DaemonThreads.named("webhooks"));
    private final SessionLanes lanes = new SessionLanes(executor);
    private KafkaProducer<String, byte[]> producer;
    private OrderedConsumer<RunEvent> consumer;

    public WebhookDispatcher(Database database, ComponentRegistry components, WebhookSettings settings, KafkaClients clients) {
        this.database = database;
        this.components = components;
        this.settings = settings;
        this.retries = new Backoff(settings.maxAttempts(), settings.firstRetry(), settings.firstRetry().multipliedBy(LAST_RETRY_FACTOR));
        this.clients = clients;
        this.http = new PinnedHttpPost(settings.targets(), settings.timeout());
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

    /**
     * Every record ends done: delivered, nothing to deliver, or dead-lettered with the reason (a
     * receiver failing every try, a refused target, a run that could not be read). Only a revoked
     * partition or a closing dispatcher leaves it for the next reader, which checks the delivery record.
     */
    private void deliver(RunEvent event, RecordTicket ticket) {
        try {
            Letter letter;
            try {
                letter = attempt(event, ticket);
            } catch (RuntimeException e) {
                log.error("webhook delivery of run {} failed; dead-lettering it", event.runId(), e);
                letter = new Letter(event.sessionId(), event.runId(), "", Json.toBytes(event), 0, "the delivery failed: " + e);
            }
            if (letter == LEFT_FOR_NEXT_OWNER) {
                ticket.handBack();
                return;
            }
            if (letter != null && !deadLetter(letter, ticket)) {
                ticket.handBack();
                return;
            }
            ticket.done();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticket.handBack(); // closing: read again after a restart
        }
    }

    /** What goes to {@code webhooks.dlq}: the payload (or the event, if the run could not be read) and why. */
    private record Letter(String sessionId, String runId, String url, byte[] body, int attempts, String reason) {
    }

    private static final Letter LEFT_FOR_NEXT_OWNER = new Letter("", "", "", new byte[0], 0, "partition revoked");

    /** @return null when delivered or nothing is to be delivered, else the letter to dead-letter */
    private Letter attempt(RunEvent event, RecordTicket ticket) throws InterruptedException {
        Optional<RunRecord> found = withRetries(() -> database.withConnection(c -> runs.find(c, event.runId())));
        Optional<String> url = found.flatMap(this::webhookOf);
        if (url.isEmpty() || withRetries(() -> alreadyDelivered(event.runId()))) {
            return null;
        }
        RunRecord run = found.get();
        ObjectNode payload = Json.object().put("event", "run." + run.status().wireName());
        payload.set("run", RunView.of(run));
        byte[] body = Json.toBytes(payload);
        String problem = "no attempt";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (ticket.isRevoked()) {
                return LEFT_FOR_NEXT_OWNER;
            }
            try {
                problem = post(url.get(), run, body, attempt);
            } catch (RefusedTargetException e) {
                // The submission check passed, but the host resolves to a refused address now (DNS
                // rebinding), or the URL came from a topic producer or a component: never sent, not retried.
                log.error("webhook for run {} to {} refused: {}", run.runId(), url.get(), e.getMessage());
                return new Letter(run.sessionId(), run.runId(), url.get(), body, attempt - 1, "refused target: " + e.getMessage());
            }
            if (problem == null) {
                int attempts = attempt;
                try {
                    withRetries(() -> recordDelivery(run.runId(), url.get(), attempts));
                } catch (RuntimeException e) {
                    log.error("webhook for run {} was delivered, but could not be recorded; a redelivery may repeat it", run.runId(), e);
                }
                return null;
            }
            log.warn("webhook for run {} to {}: attempt {} of {} failed: {}", run.runId(), url.get(), attempt, settings.maxAttempts(), problem);
            if (attempt < settings.maxAttempts()) {
                Thread.sleep(pause(attempt));
            }
        }
        log.error("webhook for run {} to {} failed {} times; dead-lettering it: {}", run.runId(), url.get(), settings.maxAttempts(), problem);
        return new Letter(run.sessionId(), run.runId(), url.get(), body, settings.maxAttempts(), problem);
    }

    /** A database step, retried like a delivery (the database may be restarting); then its failure is final. */
    private <T> T withRetries(java.util.function.Supplier<T> step) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (attempt >= settings.maxAttempts()) {
                    throw e;
                }
                log.warn("webhook dispatcher: database step failed (attempt {} of {}): {}", attempt, settings.maxAttempts(), e.toString());
                Thread.sleep(pause(attempt));
            }
        }
    }

    private long pause(int attempt) {
        return retries.delayAfter(attempt).toMillis();
    }

    /** @return null when the receiver accepted it (2xx), else what went wrong */
    private String post(String url, RunRecord run, byte[] body, int attempt) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Sessionflow-Event", "run." + run.status().wireName());
        headers.put("X-Sessionflow-Delivery", run.runId());
        headers.put("X-Sessionflow-Attempt", Integer.toString(attempt));
        headers.put("X-Sessionflow-Timestamp", timestamp);
        headers.put("X-Sessionflow-Signature", WebhookSignature.sign(settings.secret(), timestamp, body));
        try {
            int status = http.post(URI.create(url), headers, body);
            return status / 100 == 2 ? null : "the receiver answered " + status;
        } catch (java.io.IOException e) {
            return "could not reach the receiver: " + e;
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
        return database.withConnection(c -> deliveries.delivered(c, runId));
    }

    private int recordDelivery(String runId, String url, int attempts) {
        return database.withConnection(c -> deliveries.record(c, runId, url, attempts));
    }

    /**
     * Sends the letter, retrying while Kafka is unavailable (the offset cannot be committed then
     * either), until it is sent or the partition goes to another consumer.
     *
     * @return whether it was sent
     */
    private boolean deadLetter(Letter letter, RecordTicket ticket) throws InterruptedException {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(clients.topics().webhooksDeadLetter().name(), letter.sessionId(), letter.body());
        record.headers().add("sessionflow.webhook.url", letter.url().getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.webhook.reason", letter.reason().getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.run_id", letter.runId().getBytes(StandardCharsets.UTF_8))
                .add("sessionflow.webhook.attempts", Integer.toString(letter.attempts()).getBytes(StandardCharsets.UTF_8));
        for (int attempt = 1; !ticket.isRevoked(); attempt++) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.error("could not dead-letter the webhook of run {} (try {}); trying again", letter.runId(), attempt, e);
                Thread.sleep(pause(Math.min(attempt, 6)));
            }
        }
        return false;
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
