package io.sessionflow.snapshot;

import io.sessionflow.concurrent.DaemonThreads;
import io.sessionflow.kafka.consumer.OrderedConsumer;
import io.sessionflow.kafka.consumer.SessionLanes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ReprocessSession;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.store.Database;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that keeps one kind of derived session data up to date from {@code runs.completed}:
 * runs of components that want it are coalesced per session ({@link Coalescer}) and the update runs
 * in the session's lane; everything else is finished at once. Exposes its freshness lag (runs and
 * seconds behind) as gauges {@code sessionflow.<kind>.lag.runs} and {@code .lag.seconds}.
 */
public final class SnapshotWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotWorker.class);

    private final String name;
    private final OrderedConsumer<RunCompleted> consumer;
    private final OrderedConsumer<ReprocessSession> rebuilds;
    private final Coalescer coalescer;
    private final ExecutorService executor;

    /**
     * @param wants  which components this worker keeps data for
     * @param update brings a session up to date; {@link Coalescer.Pending#detail()} is its {@link ComponentDefinition}
     */
    public SnapshotWorker(String kind, KafkaClients clients, SnapshotSettings settings, ComponentRegistry components,
                          Predicate<ComponentDefinition> wants, Coalescer.Update update, Rebuilder rebuilder, Database database,
                          Producer<String, byte[]> producer, MeterRegistry metrics) {
        this.name = kind + "-worker";
        this.executor = Executors.newFixedThreadPool(settings.concurrency(), DaemonThreads.numbered(name + "-"));
        SessionLanes lanes = new SessionLanes(executor);
        this.coalescer = new Coalescer(name, settings.everyRuns(), settings.maxDelay(), lanes, update, Coalescer.updateRetries(settings.updateTries()));
        // Rebuild commands share the lanes with live updates, so the two never race on a session.
        this.rebuilds = new OrderedConsumer<>(clients, settings.groupId() + ".reprocess", name + "-rebuilds",
                clients.topics().sessionsReprocess(), ReprocessSession::key,
                new RebuildHandler(kind, database, components, wants, rebuilder, lanes), producer, settings.concurrency() * 4,
                settings.shutdownGrace());
        this.consumer = new OrderedConsumer<>(clients, settings.groupId(), name, clients.topics().runsCompleted(),
                RunCompleted::sessionId, (completed, ticket) -> {
                    Optional<ComponentDefinition> component = components.find(completed.componentType(), completed.componentId());
                    if (component.isPresent() && wants.test(component.get())) {
                        coalescer.offer(completed.sessionId(), completed.runIndex(), component.get(), ticket);
                    } else {
                        ticket.done();
                    }
                }, producer, Math.max(1000, settings.everyRuns() * 100), settings.shutdownGrace());
        Gauge.builder("sessionflow." + kind + ".lag.runs", coalescer, Coalescer::lagRuns)
                .description("completed runs not yet covered by an update").tag("worker", name).register(metrics);
        Gauge.builder("sessionflow." + kind + ".lag.seconds", coalescer, c -> c.lagMillis() / 1000.0)
                .description("how long the oldest uncovered run has waited").tag("worker", name).register(metrics);
    }

    public SnapshotWorker start() {
        coalescer.start();
        consumer.start();
        rebuilds.start();
        log.info("{} started", name);
        return this;
    }

    public Set<TopicPartition> assignedPartitions() {
        return consumer.assignedPartitions();
    }

    public int lagRuns() {
        return coalescer.lagRuns();
    }

    @Override
    public void close() {
        rebuilds.close();
        consumer.close();
        coalescer.close();
        executor.shutdownNow();
    }
}
