package io.sessionflow.gateway;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.webhook.WebhookSettings;
import io.sessionflow.outbound.RefusedTargetException;
import io.sessionflow.kafka.BrokerException;
import io.sessionflow.kafka.Topic;
import io.sessionflow.OperationInterruptedException;
import io.sessionflow.store.run.RunRegistration;
import io.sessionflow.run.SessionMismatchException;
import io.sessionflow.store.Database;
import io.sessionflow.store.GroupCommit;
import io.sessionflow.gateway.store.IdempotencyStore;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.SessionStore;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable acceptance: a run is stored as pending in Postgres, then published, and only when Kafka
 * has acknowledged the record is it accepted. If the publish fails, the stored run is marked failed
 * and the caller gets a 503, so no accepted run is ever left without a request on the topic.
 * Requests arriving together are stored together ({@link GroupCommit}): three statements per batch.
 */
public final class RunAcceptor implements AutoCloseable {

    /** Batches stored at once; each holds a database connection while it runs. */
    private static final int WRITERS = 4;
    private static final int MAX_BATCH = 256;

    private static final Logger log = LoggerFactory.getLogger(RunAcceptor.class);

    private final Database database;
    private final ComponentRegistry components;
    private final Producer<String, byte[]> producer;
    private final Topic<RunRequested> topic;
    private final Clock clock;
    private final RunStore runs = new RunStore();
    private final IdempotencyStore idempotency = new IdempotencyStore();
    private final RunRegistration registration = new RunRegistration(new SessionStore(), runs);

    private final WebhookSettings webhooks;
    private final GroupCommit<RunRegistration.Registration, RunRegistration.SessionCheck> registrations;

    RunAcceptor(Database database, ComponentRegistry components, Producer<String, byte[]> producer, Topic<RunRequested> topic, Clock clock,
                WebhookSettings webhooks) {
        this.webhooks = webhooks;
        this.database = database;
        this.components = components;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        this.registrations = new GroupCommit<>("run-accepts", batch -> database.inTransaction(c -> registration.registerAll(c, batch)),
                WRITERS, MAX_BATCH, size -> { });
    }

    @Override
    public void close() {
        registrations.close();
    }

    /** Validates against the configuration and builds the request; nothing is stored yet. */
    public RunRequested prepare(ComponentType type, String componentId, RunRequestBody body, String userId) {
        ComponentDefinition component = components.find(type, componentId).orElseThrow(() -> new ApiException(404,
                "unknown_component", "unknown " + type.wireName() + " '" + componentId + "'", null));
        if (body.webhookUrl() != null) {
            checkWebhook(body.webhookUrl());
        }
        String sessionId = body.sessionId() != null ? body.sessionId() : UUID.randomUUID().toString();
        return RunRequested.of(type, component.id(), sessionId, userId, body.message())
                .withSessionState(body.sessionState(), body.overwriteSessionState()).withOverrides(body.overrides())
                .withRequestedAt(clock.instant()).withWebhookUrl(body.webhookUrl());
    }

    /**
     * Refuses a webhook that could not be sent: webhooks off, or a host that does not resolve or
     * resolves to an internal address (SSRF). Delivery checks again, after resolving anew.
     */
    private void checkWebhook(String url) {
        if (!webhooks.enabled()) {
            throw ApiException.badRequest("webhook_url", "webhooks are off on this gateway: it has no SESSIONFLOW_WEBHOOK_SECRET to sign them");
        }
        try {
            webhooks.targets().permittedAddresses(URI.create(url).getHost());
        } catch (RefusedTargetException e) {
            throw ApiException.badRequest("webhook_url", "webhook_url is refused: " + e.getMessage()
                    + "; an operator may allow it with SESSIONFLOW_WEBHOOK_ALLOWED_HOSTS");
        }
    }

    /** A caller's Idempotency-Key, scoped to the caller, with the hash of the request it came with. */
    public record IdempotencyKey(String scope, String key, String requestHash) {
    }

    /** The run that stands for a request: the new one, or the one an earlier request with the same key made. */
    public record Accepted(String runId, String sessionId, boolean isNew) {
    }

    /**
     * Stores the run as pending (claiming the idempotency key in the same transaction), then
     * publishes it and waits for Kafka's acknowledgement. A key already claimed by the same request
     * returns that run without storing or publishing anything; by another request, it is a 409.
     */
    public Accepted accept(RunRequested request, IdempotencyKey key) {
        ComponentDefinition component = components.find(request.componentType(), request.componentId()).orElseThrow();
        Accepted accepted;
        try {
            accepted = key == null ? register(request, component) : database.inTransaction(c -> {
                Optional<IdempotencyStore.Claim> claim = idempotency.claim(c, key.scope(), key.key(), key.requestHash(), request.runId());
                if (claim.isPresent()) {
                    if (!claim.get().requestHash().equals(key.requestHash())) {
                        throw new ApiException(409, "idempotency_conflict",
                                "this Idempotency-Key was used for a different request", "Idempotency-Key");
                    }
                    RunRecord earlier = runs.find(c, claim.get().runId()).orElseThrow();
                    return new Accepted(earlier.runId(), earlier.sessionId(), false);
                }
                registration.register(c, request, component.sessionState());
                return new Accepted(request.runId(), request.sessionId(), true);
            });
        } catch (SessionMismatchException e) {
            throw e.kind() == SessionMismatchException.Kind.OTHER_USER
                    ? ApiException.notFound(e.getMessage())
                    : new ApiException(409, "session_conflict", e.getMessage(), "session_id");
        }
        if (accepted.isNew()) {
            publish(request);
        }
        return accepted;
    }

    /** Without an idempotency key the run is stored in a batch shared with other requests. */
    private Accepted register(RunRequested request, ComponentDefinition component) {
        RunRegistration.SessionCheck check = registrations.run(new RunRegistration.Registration(request, component.sessionState()));
        if (check.refused()) {
            throw check.refusal();
        }
        return new Accepted(request.runId(), request.sessionId(), true);
    }

    /**
     * Sends a stored run's request through its session's lane again (a paused run answered or
     * cancelled here, so that the worker holding the session resumes it or announces its end).
     * @throws ApiException 503 when Kafka does not take it; what was stored stands, and the worker's
     *         sweeper sends it later
     */
    void resend(RunRequested request) {
        try {
            topic.publish(producer, request.sessionId(), request);
        } catch (BrokerException | OperationInterruptedException e) {
            log.error("run {} could not be sent through its session's lane", request.runId(), e);
            throw new ApiException(503, "queue_unavailable", "stored, but the run queue is unavailable: the run goes on within "
                    + "seconds of the queue's return", null, 5);
        }
    }

    private void publish(RunRequested request) {
        try {
            topic.publish(producer, request.sessionId(), request);
        } catch (BrokerException | OperationInterruptedException e) {
            log.error("run {} could not be published; marking it failed", request.runId(), e);
            database.withConnection(c -> runs.finishUnsuccessfully(c, request.runId(), RunStatus.FAILED, "could not publish the run to Kafka"));
            throw new ApiException(503, "queue_unavailable", "the run queue is unavailable; try again later", null, 5);
        }
    }
}
