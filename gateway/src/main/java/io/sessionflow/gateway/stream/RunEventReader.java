package io.sessionflow.gateway.stream;

import io.sessionflow.event.RunEvent;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Follows one run's events on {@code runs.events}. Every event of a session is on one partition, so
 * reading that partition from just before the run began replays what already happened and then
 * follows what happens next. No gateway keeps streams in memory: any instance can serve any run,
 * live or finished, for as long as the topic retains its events.
 */
public final class RunEventReader {

    /** How the reading ended. */
    public enum End { FINAL_EVENT, CAUGHT_UP_WITHOUT_FINAL, DEADLINE, LISTENER_STOPPED }

    private final KafkaClients clients;
    private final Topic<RunEvent> topic;

    public RunEventReader(KafkaClients clients) {
        this.clients = clients;
        this.topic = clients.topics().runsEvents();
    }

    /**
     * @param startedAt  when the run was accepted: reading starts a little before
     * @param afterSeq   events up to this sequence number are skipped (SSE Last-Event-ID)
     * @param finished   whether the run was already finished when asked: then reaching the end of the
     *                   partition without its final event ends the reading (the events are gone)
     * @param listener   receives the run's events in order; returning false stops the reading
     */
    public End read(String sessionId, String runId, Instant startedAt, long afterSeq, boolean finished, Instant deadline,
                    Predicate<RunEvent> listener) {
        try (KafkaConsumer<String, byte[]> consumer = clients.standaloneConsumer("gateway-stream")) {
            int partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).size();
            TopicPartition partition = new TopicPartition(topic.name(),
                    Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8))) % partitions);
            consumer.assign(List.of(partition));
            long from = startedAt.minusSeconds(5).toEpochMilli();
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(Map.of(partition, from), Duration.ofSeconds(10));
            OffsetAndTimestamp start = offsets.get(partition);
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
            if (start == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, start.offset());
            }
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (!sessionId.equals(record.key())) {
                        continue;
                    }
                    RunEvent event;
                    try {
                        event = topic.deserialize(record.value());
                    } catch (PoisonRecordException e) {
                        continue;
                    }
                    if (!event.runId().equals(runId) || event.seq() <= afterSeq) {
                        continue;
                    }
                    if (!listener.test(event)) {
                        return End.LISTENER_STOPPED;
                    }
                    if (event.isFinal()) {
                        return End.FINAL_EVENT;
                    }
                }
                if (finished && consumer.position(partition) >= end) {
                    return End.CAUGHT_UP_WITHOUT_FINAL;
                }
            }
            return End.DEADLINE;
        }
    }
}
