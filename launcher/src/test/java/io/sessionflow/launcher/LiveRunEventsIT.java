package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.gateway.stream.LiveRunEvents;
import io.sessionflow.runworker.KafkaRunEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's tail of runs.events, as a new run's stream sees it: only its own run's events, in order,
 * with their offsets as ids, kept until the stream is ready for them, and nothing after the final event.
 */
@PipelineIT
class LiveRunEventsIT {

    private final TestPipeline pipeline;
    private final LiveRunEvents live;

    LiveRunEventsIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.live = new LiveRunEvents(pipeline.kafka).start();
    }

    @AfterEach
    void close() {
        live.close();
    }

    record Seen(long id, String runId, String type) {
    }

    @Test
    void shouldForwardOnlyItsRunsEventsInOrderWithOffsetsAsIdsKeepingThoseThatCameFirst() throws Exception {
        String session = SessionSemanticsIT.newId("live");
        RunRequested mine = run(session);
        RunRequested sameSession = run(session);
        RunRequested otherSession = run(SessionSemanticsIT.newId("live-other"));
        LiveRunEvents.Subscription subscription = live.subscribe(session, mine.runId()).orElseThrow();

        List<RecordMetadata> published;
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("live-test")) {
            KafkaRunEvents events = new KafkaRunEvents(producer, pipeline.kafka.topics().runsEvents(), Clock.systemUTC());
            events.started(sameSession);
            events.started(mine);
            events.started(otherSession);
            events.delta(mine, "first ");
            events.delta(sameSession, "not mine");
            events.delta(mine, "second");
            published = List.of(
                    events.finished(mine.runId(), session, true, java.util.Map.of("run_id", mine.runId())).get(),
                    events.finished(sameSession.runId(), session, true, java.util.Map.of("run_id", sameSession.runId())).get());
            // After the final event: must not reach the stream.
            events.delta(mine, "after the end");
            producer.flush();
        }
        // The events have arrived before the stream is ready: none may be lost.
        Thread.sleep(500);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        subscription.forward((id, event) -> seen.add(new Seen(id, event.runId(), event.type())), () -> { });

        Eventually.await("the run's four events", Duration.ofSeconds(10), () -> seen.size() >= 4);
        assertThat(seen).extracting(Seen::type).containsExactly("run_started", "delta", "delta", "run_completed");
        assertThat(seen).extracting(Seen::runId).containsOnly(mine.runId());
        assertThat(seen).extracting(Seen::id).isSorted().doesNotHaveDuplicates();
        assertThat(seen.get(seen.size() - 1).id()).isEqualTo(published.get(0).offset());
        Thread.sleep(500);
        assertThat(seen).hasSize(4);
    }

    @Test
    void shouldForwardLiveEventsAsTheyArriveAndNothingOnceClosed() throws Exception {
        String session = SessionSemanticsIT.newId("live");
        RunRequested kept = run(session);
        RunRequested dropped = run(session);
        LiveRunEvents.Subscription keptSubscription = live.subscribe(session, kept.runId()).orElseThrow();
        LiveRunEvents.Subscription droppedSubscription = live.subscribe(session, dropped.runId()).orElseThrow();
        List<String> keptSeen = new CopyOnWriteArrayList<>();
        List<String> droppedSeen = new CopyOnWriteArrayList<>();
        keptSubscription.forward((id, event) -> keptSeen.add(event.type()), () -> { });
        droppedSubscription.forward((id, event) -> droppedSeen.add(event.type()), () -> { });
        droppedSubscription.close(); // its stream went away (or its run was never published)

        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("live-test")) {
            KafkaRunEvents events = new KafkaRunEvents(producer, pipeline.kafka.topics().runsEvents(), Clock.systemUTC());
            events.started(kept);
            events.started(dropped);
            producer.flush();
            Eventually.await("run_started", Duration.ofSeconds(10), () -> !keptSeen.isEmpty());
            events.delta(kept, "later");
            events.delta(dropped, "later");
            producer.flush();
        }
        Eventually.await("the delta", Duration.ofSeconds(10), () -> keptSeen.size() >= 2);
        Thread.sleep(500);
        assertThat(keptSeen).containsExactly("run_started", "delta");
        assertThat(droppedSeen).isEmpty();
    }

    @Test
    void shouldTellAStreamStillWaitingWhenTheTailStopsAndReadNewRunsPerStreamAfter() {
        String session = SessionSemanticsIT.newId("live");
        LiveRunEvents.Subscription waiting = live.subscribe(session, run(session).runId()).orElseThrow();
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        waiting.forward((id, event) -> true, () -> abandoned.set(true));

        live.close();

        assertThat(abandoned).as("the stream is told (it goes on reading from the topic)").isTrue();
        assertThat(live.subscribe(session, run(session).runId())).as("no subscription to a tail that is not running").isEmpty();
    }

    private static RunRequested run(String session) {
        return RunRequested.of(ComponentType.AGENT, "personal-assistant", session, "user_1", "hello")
                .withRunId(SessionSemanticsIT.newId("run"));
    }
}
