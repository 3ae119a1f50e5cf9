package io.sessionflow.gateway.stream;

import io.sessionflow.event.RunEvent;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows one run's events on {@code runs.events}. Every event of a session is on one partition, so
 * reading that partition from just before the run began replays what already happened and then
 * follows what happens next. No gateway keeps streams in memory: any instance can serve any run,
 * live or finished, for as long as the topic retains its events.
 *
 * <p>An event's id is its record's offset in that partition: unique and ordered across every
 * execution of the run (a worker that executes it again after a crash appends after the first one's
 * events), so resuming after an id neither skips nor repeats an event.
 */
public final class RunEventReader {

    /** How the reading ended. */
    public enum End { FINAL_EVENT, CAUGHT_UP_WITHOUT_FINAL, DEADLINE, LISTENER_STOPPED }

    /** @param position the offset after the last record read: an id later than every event delivered */
    public record Reading(End end, long position) {
    }

    /** Receives a run's events in order, each with its id; returning false stops the reading. */
    @FunctionalInterface
    public interface Listener {
        boolean onEvent(long id, RunEvent event);
    }

    /** {@code afterId} when the client has seen no event yet. */
    public static final long FROM_START = -1;

    private final KafkaClients clients;
    private final Topic<RunEvent> topic;

    public RunEventReader(KafkaClients clients) {
        this.clients = clients;
        this.topic = clients.topics().runsEvents();
    }

    /**
     * Opens a reading positioned at the run's first event to send, or after {@code afterId}; it blocks
     * only for the broker's metadata. Read it with {@link Following#poll}, and close it.
     *
     * @param startedAt  when the run was accepted: reading starts a little before
     * @param afterId    events up to this id are skipped (SSE Last-Event-ID), or {@link #FROM_START}
     * @param finished   whether the run was already finished when asked: then reaching the end of the
     *                   partition without its final event ends the reading (the events are gone)
     */
    public Following follow(String sessionId, String runId, Instant startedAt, long afterId, boolean finished, Instant deadline) {
        KafkaConsumer<String, byte[]> consumer = clients.standaloneConsumer("gateway-stream");
        try {
            int partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).size();
            TopicPartition partition = new TopicPartition(topic.name(), Topics.partitionOf(sessionId, partitions));
            consumer.assign(List.of(partition));
            long from = startedAt.minusSeconds(5).toEpochMilli();
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(Map.of(partition, from), Duration.ofSeconds(10));
            OffsetAndTimestamp start = offsets.get(partition);
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
            // No earlier than the run's start (an id from elsewhere must not replay the partition), and no
            // later than the end (an id past it names no event of this run, and seeking past the end skips).
            long position = Math.max(start == null ? end : start.offset(), Math.min(afterId + 1, end));
            consumer.seek(partition, position);
            return new Following(consumer, partition, sessionId, runId, finished, end, deadline, position);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * One run's reading, polled without waiting: it holds a consumer but no thread, so a gateway can
     * follow many runs at once with a few threads. Poll it from one thread at a time.
     */
    public final class Following implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final TopicPartition partition;
        private final String sessionId;
        private final String runId;
        private final boolean finished;
        private final long end;
        private final Instant deadline;
        private long position;

        private Following(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, String sessionId, String runId,
                          boolean finished, long end, Instant deadline, long position) {
            this.consumer = consumer;
            this.partition = partition;
            this.sessionId = sessionId;
            this.runId = runId;
            this.finished = finished;
            this.end = end;
            this.deadline = deadline;
            this.position = position;
        }

        /** Hands the listener what has arrived since the last poll; empty while the reading goes on. */
        public Optional<Reading> poll(Listener listener) {
            if (!Instant.now().isBefore(deadline)) {
                return Optional.of(new Reading(End.DEADLINE, position));
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
                position = record.offset() + 1;
                if (!sessionId.equals(record.key())) {
                    continue;
                }
                RunEvent event;
                try {
                    event = topic.deserialize(record.value());
                } catch (PoisonRecordException e) {
                    continue;
                }
                if (!event.runId().equals(runId)) {
                    continue;
                }
                if (!listener.onEvent(record.offset(), event)) {
                    return Optional.of(new Reading(End.LISTENER_STOPPED, position));
                }
                if (event.isFinal()) {
                    return Optional.of(new Reading(End.FINAL_EVENT, position));
                }
            }
            if (finished && consumer.position(partition) >= end) {
                return Optional.of(new Reading(End.CAUGHT_UP_WITHOUT_FINAL, Math.max(position, end)));
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            consumer.close(Duration.ZERO);
        }
    }
}
