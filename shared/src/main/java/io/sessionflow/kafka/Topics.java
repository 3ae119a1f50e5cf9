package io.sessionflow.kafka;

import io.sessionflow.event.MemoriesUpdated;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunEvent;
import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.event.ReprocessSession;
import io.sessionflow.event.SessionChanged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * The topic contract (DESIGN.md section 3). Every topic is keyed by session id, so all work on one
 * session lands on one partition, in order. The prefix lets several deployments share a cluster.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "sessionflow.";

    public Topics {
        Objects.requireNonNull(prefix, "null topic prefix");
    }

    /**
     * The partition that holds a session's records in a topic of {@code partitions} partitions: the one
     * the producer's built-in partitioner picks for the session's key. Readers that go straight to a
     * session's partition (streaming) rely on it, which is why {@code KafkaSettings} refuses a
     * configured {@code partitioner.class}.
     */
    public static int partitionOf(String sessionId, int partitions) {
        return Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public Topic<RunRequested> runsRequested() {
        return new Topic<>(prefix + "runs.requested", RunRequested.class);
    }

    public Topic<RunCompleted> runsCompleted() {
        return new Topic<>(prefix + "runs.completed", RunCompleted.class);
    }

    public Topic<RunFailed> runsFailed() {
        return new Topic<>(prefix + "runs.failed", RunFailed.class);
    }

    /**
     * Runs that stopped to wait for tool results or approvals ({@code RunPaused}, with the pending calls):
     * the topic a tool executor in any language reads. A topic of its own because the completion topics'
     * readers (summaries, contexts, memories) take every record there as a finished run, and
     * {@code runs.events} carries every answer's deltas.
     */
    public Topic<RunPaused> runsPaused() {
        return new Topic<>(prefix + "runs.paused", RunPaused.class);
    }

    /** Answers to paused runs ({@code RunContinuation}), published by tool executors; the run-worker applies them. */
    public Topic<RunContinuation> runsContinuations() {
        return new Topic<>(prefix + "runs.continuations", RunContinuation.class);
    }

    /** Runs as they happen: started, answer deltas, completed or failed (for streaming and webhooks). */
    public Topic<RunEvent> runsEvents() {
        return new Topic<>(prefix + "runs.events", RunEvent.class);
    }

    /** Webhook deliveries that failed every try: the payload, with the URL and the reason in headers. */
    public Topic<byte[]> webhooksDeadLetter() {
        return new Topic<>(prefix + "webhooks.dlq", byte[].class);
    }

    /** Original key and bytes of records that could not be processed; headers say why. */
    public Topic<byte[]> runsDeadLetter() {
        return new Topic<>(prefix + "runs.dlq", byte[].class);
    }

    /** Summaries and context snapshots that were updated ({@code SummaryUpdated}, {@code ContextUpdated}). */
    public Topic<SessionChanged> sessionsChanged() {
        return new Topic<>(prefix + "sessions.changed", SessionChanged.class);
    }

    /** Commands to rebuild one session's summary or context (batch reprocessing jobs). */
    public Topic<ReprocessSession> sessionsReprocess() {
        return new Topic<>(prefix + "sessions.reprocess", ReprocessSession.class);
    }

    /**
     * Completed runs of memory-enabled components, re-keyed by <b>user id</b> (not session id), so that one
     * user's memory extraction runs in order even when the user has several sessions at once.
     */
    public Topic<RunCompleted> memoriesRequested() {
        return new Topic<>(prefix + "memories.requested", RunCompleted.class);
    }

    /** Changes of a user's memories and profile ({@code MemoriesUpdated}), keyed by user id. */
    public Topic<MemoriesUpdated> usersChanged() {
        return new Topic<>(prefix + "users.changed", MemoriesUpdated.class);
    }

    public List<Topic<?>> all() {
        return List.of(runsRequested(), runsCompleted(), runsFailed(), runsDeadLetter(), sessionsChanged(), sessionsReprocess(),
                runsEvents(), webhooksDeadLetter(), memoriesRequested(), usersChanged(), runsPaused(), runsContinuations());
    }
}
