package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.config.Env;
import io.sessionflow.config.PipelineSettings;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.runworker.RunWorkerSettings;
import io.sessionflow.kafka.consumer.OrderedConsumer;
import io.sessionflow.snapshot.SnapshotSettings;
import io.sessionflow.snapshot.SnapshotWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A record that cannot be processed ends failed or dead-lettered with the reason, and its partition's
 * committed offset moves past it, on the real broker and Postgres.
 */
@PipelineIT
class StuckRecordsIT {

    private final TestPipeline pipeline;
    private final Rows rows;
    private final Topic<RunRequested> requests;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    StuckRecordsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
        this.requests = pipeline.kafka.topics().runsRequested();
        this.producer = pipeline.kafka.producer("stuck-records-test");
        this.admin = pipeline.kafka.admin();
    }

    @AfterEach
    void close() {
        admin.close();
        producer.close();
    }

    @Test
    void shouldFailARunThatThrowsUnexpectedlyAtOnceWithRunFailedAndCommitPastIt() throws Exception {
        String session = SessionSemanticsIT.newId("bug");
        RunRequested broken = request(session, "this run hits " + TestPipeline.CountingModel.BUG + " " + UUID.randomUUID());
        RunRequested next = request(session, "the run after the bug " + UUID.randomUUID());
        RecordMetadata brokenAt = publish(broken);
        RecordMetadata nextAt = publish(next);
        assertThat(nextAt.partition()).isEqualTo(brokenAt.partition());

        // Before, the worker tried the run 30 times over about four minutes, then left its offset uncommitted.
        Eventually.await("the run with the bug is failed", Duration.ofSeconds(20),
                () -> "failed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", broken.runId())));
        assertThat(rows.text("SELECT error FROM runs WHERE run_id = ?", broken.runId()))
                .startsWith("internal error").contains("a bug in the model adapter");
        List<ConsumerRecord<String, byte[]>> failed = TopicReader.readUntil(pipeline.kafka, pipeline.kafka.topics().runsFailed().name(),
                Duration.ofSeconds(30), records -> records.stream().anyMatch(r -> text(r).contains(broken.runId())));
        assertThat(Json.parse(failed.stream().map(StuckRecordsIT::text).filter(v -> v.contains(broken.runId())).findFirst().orElseThrow())
                .path("status").asText()).isEqualTo("failed");
        Eventually.await("the next run of the session completes", Duration.ofSeconds(20),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", next.runId())));

        String group = RunWorkerSettings.read(new Env(pipeline.env), PipelineSettings.read(new Env(pipeline.env)).topicPrefix(), Duration.ZERO).groupId();
        TopicPartition partition = new TopicPartition(requests.name(), brokenAt.partition());
        Eventually.await("the run-worker group commits past both records", Duration.ofSeconds(20),
                () -> committed(group, partition) > nextAt.offset());
    }

    @Test
    void shouldDeadLetterTheRecordsOfASnapshotUpdateThatKeepsFailingAndCommitPastThem() throws Exception {
        String session = SessionSemanticsIT.newId("stuck-update");
        RunRequested run = request(session, "a run whose snapshot update always fails");
        publish(run);
        Eventually.await("the run completes", Duration.ofSeconds(20),
                () -> "completed".equals(rows.text("SELECT status FROM runs WHERE run_id = ?", run.runId())));

        String group = SessionSemanticsIT.newId("stuck-snapshots");
        SnapshotSettings settings = new SnapshotSettings(group, 1, Duration.ZERO, 1, 4, Duration.ofSeconds(5), 2);
        String completedTopic = pipeline.kafka.topics().runsCompleted().name();
        try (SnapshotWorker worker = new SnapshotWorker("stuck", pipeline.kafka, settings,
                ComponentRegistry.load(Optional.of(TestPipeline.resource("test-components.yaml"))), component -> true,
                (sessionId, due) -> {
                    if (sessionId.equals(session)) {
                        throw new IllegalStateException("this session's update always fails");
                    }
                }, (sessionId, component, version) -> Optional.empty(), pipeline.database, producer, new SimpleMeterRegistry()).start()) {

            ConsumerRecord<String, byte[]> letter = TopicReader.readUntil(pipeline.kafka,
                    pipeline.kafka.topics().runsDeadLetter().name(), Duration.ofSeconds(60),
                    records -> records.stream().anyMatch(r -> isLetterFor(r, session, completedTopic))).stream()
                    .filter(r -> isLetterFor(r, session, completedTopic)).findFirst().orElseThrow();

            assertThat(header(letter, OrderedConsumer.DLQ_REASON)).contains("updating session " + session + " failed 2 times")
                    .contains("this session's update always fails");
            assertThat(text(letter)).contains(run.runId());
            TopicPartition partition = new TopicPartition(completedTopic, Integer.parseInt(header(letter, OrderedConsumer.DLQ_PARTITION)));
            long offset = Long.parseLong(header(letter, OrderedConsumer.DLQ_OFFSET));
            Eventually.await("the snapshot worker's group commits past the dead-lettered record", Duration.ofSeconds(30),
                    () -> committed(group, partition) > offset);
        }
    }

    private static boolean isLetterFor(ConsumerRecord<String, byte[]> record, String session, String sourceTopic) {
        return session.equals(record.key()) && sourceTopic.equals(header(record, OrderedConsumer.DLQ_TOPIC));
    }

    /** The group's committed offset on the partition, or -1 if it has none. */
    private long committed(String group, TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not read the offsets of " + group, e);
        }
    }

    private RecordMetadata publish(RunRequested request) throws Exception {
        return producer.send(new ProducerRecord<>(requests.name(), request.sessionId(), requests.serialize(request))).get(10, TimeUnit.SECONDS);
    }

    private static RunRequested request(String session, String message) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", message);
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
