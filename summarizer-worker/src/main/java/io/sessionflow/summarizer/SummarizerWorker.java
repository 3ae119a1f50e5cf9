package io.sessionflow.summarizer;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.kafka.ChangePublisher;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.store.Database;
import io.sessionflow.store.snapshot.SessionSummary;
import io.sessionflow.snapshot.SnapshotSettings;
import io.sessionflow.snapshot.SnapshotUpdater;
import io.sessionflow.snapshot.SnapshotWorker;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The summarizer-worker: keeps {@code session_summaries} up to date for components with
 * {@code enable_session_summaries}, off the response path, from {@code runs.completed}. Bursts are
 * coalesced per session; each update is announced as {@code SummaryUpdated} on {@code sessions.changed}.
 */
public final class SummarizerWorker implements AutoCloseable {

    public static final String GROUP = "summarizer-worker";

    private final KafkaProducer<String, byte[]> producer;
    private final SnapshotWorker worker;

    public SummarizerWorker(KafkaClients clients, Database database, ComponentRegistry components, ModelCatalog models,
                            SnapshotSettings settings, MeterRegistry metrics) {
        this.producer = clients.producer("summarizer-worker");
        SnapshotUpdater<SessionSummary> updater = new SnapshotUpdater<>(new SummaryKind(models, settings.maxAttempts()), database,
                new ChangePublisher(producer, clients.topics()), Clock.systemUTC(), metrics);
        this.worker = new SnapshotWorker("summary", clients, settings, components, ComponentDefinition::enableSessionSummaries,
                updater, updater, database, producer, metrics);
    }

    public SummarizerWorker start() {
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
