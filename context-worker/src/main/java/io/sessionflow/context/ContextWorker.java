package io.sessionflow.context;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.kafka.ChangePublisher;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.snapshot.SnapshotSettings;
import io.sessionflow.snapshot.SnapshotUpdater;
import io.sessionflow.snapshot.SnapshotWorker;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The context-worker: keeps {@code session_contexts} up to date for components with
 * {@code session_context} (summary mode, or planning mode with {@code enable_planning}), off the
 * response path, from {@code runs.completed}. Each update is announced as {@code ContextUpdated}.
 */
public final class ContextWorker implements AutoCloseable {

    public static final String GROUP = "context-worker";

    private final KafkaProducer<String, byte[]> producer;
    private final SnapshotWorker worker;

    public ContextWorker(KafkaClients clients, Database database, ComponentRegistry components, ModelCatalog models,
                         SnapshotSettings settings, MeterRegistry metrics) {
        this.producer = clients.producer("context-worker");
        SnapshotUpdater<SessionContext> updater = new SnapshotUpdater<>(new ContextKind(models, settings.maxAttempts()), database,
                new ChangePublisher(producer, clients.topics()), Clock.systemUTC(), metrics);
        this.worker = new SnapshotWorker("context", clients, settings, components, ComponentDefinition::sessionContext,
                updater, updater, database, producer, metrics);
    }

    public ContextWorker start() {
        worker.start();
        return this;
    }

    public SnapshotWorker worker() {
        return worker;
    }

    @Override
    public void close() {
        worker.close();
        producer.close(Duration.ofSeconds(5));
    }
}
