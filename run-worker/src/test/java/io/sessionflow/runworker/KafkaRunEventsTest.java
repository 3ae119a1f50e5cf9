package io.sessionflow.runworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunEvent;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaRunEventsTest {

    private final Topic<RunEvent> topic = new Topics("test.").runsEvents();
    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldKeepNoStatePerRunHoweverManyRunsNeverFinish() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        KafkaRunEvents busy = new KafkaRunEvents(producer, topic, clock);
        for (int i = 0; i < 10_000; i++) {
            RunRequested run = run("run-" + i);
            busy.started(run);
            busy.delta(run, "never finished");
        }

        // Nothing but the producer, its two topics (events, and requests for runs sent through their lane again)
        // and the clock: no field could hold a run.
        List<String> fields = Arrays.stream(KafkaRunEvents.class.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers())).map(Field::getName).toList();
        assertThat(fields).containsExactlyInAnyOrder("producer", "topic", "requests", "clock");
        // And what it publishes does not depend on what it published before.
        MockProducer<String, byte[]> fresh = producer();
        producer.clear();
        publishOneRun(busy);
        publishOneRun(new KafkaRunEvents(fresh, topic, clock));
        assertThat(values(producer.history())).isEqualTo(values(fresh.history()));
    }

    @Test
    void shouldBeginEveryAttemptWithRunStarted() {
        MockProducer<String, byte[]> producer = producer();
        KafkaRunEvents events = new KafkaRunEvents(producer, topic, clock);
        RunRequested run = run("run-again");

        events.started(run);
        events.retrying(run, "model timed out");
        events.started(run);
        events.finished(run.runId(), run.sessionId(), true, Json.object().put("run_id", run.runId()));

        assertThat(producer.history()).extracting(record -> topic.deserialize(record.value()).type())
                .containsExactly(RunEvent.STARTED, RunEvent.RETRYING, RunEvent.STARTED, RunEvent.COMPLETED);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsOnly(run.sessionId());
    }

    private void publishOneRun(KafkaRunEvents events) {
        RunRequested run = run("run-last");
        events.started(run);
        events.delta(run, "answer");
        events.finished(run.runId(), run.sessionId(), true, Json.object().put("run_id", run.runId()));
    }

    private static List<String> values(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().map(record -> record.key() + " " + new String(record.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private static MockProducer<String, byte[]> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static RunRequested run(String runId) {
        return RunRequested.of(ComponentType.AGENT, "agent", "session-1", "user-1", "hello")
                .withRunId(runId).withRequestedAt(Instant.parse("2025-01-01T00:00:00Z"));
    }
}
