package io.sessionflow.memory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.MemoriesUpdated;
import io.sessionflow.event.ReprocessSession;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.streams.ExactlyOnceStreams;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.snapshot.Coalescer;
import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.kafka.consumer.OrderedConsumer;
import io.sessionflow.kafka.consumer.SessionLanes;
import io.sessionflow.snapshot.SnapshotSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-term memory, off the response path, in the context-worker process (the worker that owns
 * learning from finished runs): {@link MemoryRequestsTopology} re-keys completed runs of memory-enabled
 * components by user, and this consumes {@code memories.requested} with the user id in the place of
 * the session id, so that key-ordered lanes ({@link SessionLanes}) serialize each user while many users
 * run at once. Bursts are coalesced per user like summaries per session; each change is announced as
 * {@code MemoriesUpdated} on {@code users.changed}, keyed by user id. The {@code memories} commands of
 * reprocessing jobs ({@code sessions.reprocess}, keyed by user id) rebuild a user in the same lanes.
 */
public final class MemoryWorker implements AutoCloseable {

    public static final String GROUP = "memory-worker";
    private static final Logger log = LoggerFactory.getLogger(MemoryWorker.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ExactlyOnceStreams requests;
    private final Coalescer coalescer;
    private final OrderedConsumer<RunCompleted> consumer;
    private final OrderedConsumer<ReprocessSession> rebuilds;
    private final ExecutorService executor;

    public MemoryWorker(KafkaClients clients, Database database, ComponentRegistry components, ModelCatalog models,
                        SnapshotSettings settings, MeterRegistry metrics) {
        this.producer = clients.producer("memory-worker");
        Topic<MemoriesUpdated> changes = clients.topics().usersChanged();
        MemoryUpdater updater = new MemoryUpdater(database, components, models, settings.maxAttempts(),
                change -> changes.publish(producer, change.userId(), change), Clock.systemUTC(), metrics);
        this.executor = Executors.newFixedThreadPool(settings.concurrency(), DaemonThreads.numbered("memory-worker-"));
        SessionLanes lanes = new SessionLanes(executor);
        this.coalescer = new Coalescer("memory-worker", settings.everyRuns(), settings.maxDelay(), lanes, updater,
                Coalescer.updateRetries(settings.updateTries()));
        // Rebuilds (batch reprocessing) share the user lanes with live extraction, so the two never race on a user here.
        this.rebuilds = new OrderedConsumer<>(clients, settings.groupId() + ".reprocess", "memory-worker-rebuilds",
                clients.topics().sessionsReprocess(), ReprocessSession::key, new MemoryRebuildHandler(database, updater, lanes), producer,
                settings.concurrency() * 4, settings.shutdownGrace());
        // Kafka Streams does the re-keying only: a pure, fast re-key with no model call is what a stream thread is good at.
        this.requests = new ExactlyOnceStreams(clients, settings.groupId() + ".requests", MemoryRequestsTopology.build(clients.topics(), components));
        // The "session" of a request is its user: the consumer dead-letters a record whose key is not the user id.
        this.consumer = new OrderedConsumer<>(clients, settings.groupId(), "memory-worker", clients.topics().memoriesRequested(),
                run -> run.userId() == null ? "" : run.userId(),
                (run, ticket) -> coalescer.offer(run.userId(), run.runIndex(), null, ticket),
                producer, Math.max(1000, settings.everyRuns() * 100), settings.shutdownGrace());
        Gauge.builder("sessionflow.memory.lag.runs", coalescer, Coalescer::lagRuns)
                .description("completed runs whose memories are not extracted yet").register(metrics);
        Gauge.builder("sessionflow.memory.lag.seconds", coalescer, c -> c.lagMillis() / 1000.0)
                .description("how long the oldest run waiting for memory extraction has waited").register(metrics);
    }

    public MemoryWorker start() {
        coalescer.start();
        consumer.start();
        rebuilds.start();
        requests.start();
        log.info("memory-worker started");
        return this;
    }

    public int lagRuns() {
        return coalescer.lagRuns();
    }

    @Override
    public void close() {
        requests.close();
        rebuilds.close();
        consumer.close();
        coalescer.close();
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
