package io.sessionflow.kafka.consumer;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.kafka.BrokerException;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member whose handler may finish records out of order (many sessions at once):
 * offsets are committed only up to the first unfinished record, so a crash never skips work.
 * Records that do not parse, or whose key is not their session id, go to the dead-letter topic with
 * the reason, source topic, partition and offset in headers; so do records the handler gives up on
 * ({@link RecordTicket#deadLetter}), so that no failed record holds up its partition's commit. Fetching pauses while too many records
 * are unfinished; revoked partitions and shutdown wait (bounded) for the records in flight.
 */
public final class OrderedConsumer<V> implements AutoCloseable {

    public static final String DLQ_REASON = "sessionflow.dlq.reason";
    public static final String DLQ_TOPIC = "sessionflow.dlq.source.topic";
    public static final String DLQ_PARTITION = "sessionflow.dlq.source.partition";
    public static final String DLQ_OFFSET = "sessionflow.dlq.source.offset";

    private static final Logger log = LoggerFactory.getLogger(OrderedConsumer.class);
    /**
     * How often finished offsets are committed while running. Committing after every poll costs the
     * broker a write per poll per group; a record finished but not yet committed is only delivered
     * again after a crash, and every handler here is idempotent on redelivery.
     */
    private static final long COMMIT_INTERVAL_NANOS = 200_000_000L;

    private final String name;
    private final Topic<V> topic;
    private final Function<V, String> sessionOf;
    private final RecordHandler<V> handler;
    private final Producer<String, byte[]> deadLetters;
    private final String deadLetterTopic;
    private final int maxBuffered;
    private final Duration grace;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AutoCloseable clientMetrics;
    private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Thread pollThread;
    private volatile boolean running = true;
    private long lastCommit = System.nanoTime();

    /**
     * @param sessionOf   the session id of a value: the record's key must equal it
     * @param deadLetters the producer for unreadable and dead-lettered records (shared with the caller; not closed here)
     */
    public OrderedConsumer(KafkaClients clients, String groupId, String name, Topic<V> topic, Function<V, String> sessionOf,
                           RecordHandler<V> handler, Producer<String, byte[]> deadLetters, int maxBuffered, Duration grace) {
        this.name = Objects.requireNonNull(name, "null name");
        this.topic = Objects.requireNonNull(topic, "null topic");
        this.sessionOf = Objects.requireNonNull(sessionOf, "null session extractor");
        this.handler = Objects.requireNonNull(handler, "null handler");
        this.deadLetters = Objects.requireNonNull(deadLetters, "null dead-letter producer");
        this.deadLetterTopic = clients.topics().runsDeadLetter().name();
        this.maxBuffered = maxBuffered;
        this.grace = Objects.requireNonNull(grace, "null grace");
        this.consumer = clients.consumer(groupId, name);
        this.clientMetrics = clients.instrument(consumer);
        this.pollThread = new Thread(this::pollLoop, name + "-poll");
    }

    public OrderedConsumer<V> start() {
        consumer.subscribe(List.of(topic.name()), new Rebalance());
        pollThread.start();
        return this;
    }

    /** Stops fetching, waits (up to the grace period) for records in flight, commits, and closes. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            pollThread.join(grace.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Records read and not yet finished, across all partitions. */
    public int buffered() {
        return partitions.values().stream().mapToInt(PartitionProgress::unfinishedCount).sum();
    }

    private void pollLoop() {
        try {
            while (running) {
                applyBackpressure();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    dispatch(record);
                }
                if (System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    commit(false);
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer: fall through to the graceful drain.
        } catch (RuntimeException e) {
            log.error("{} poll loop stopped", name, e);
        } finally {
            drainAndClose();
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        PartitionProgress progress = partitions.get(new TopicPartition(record.topic(), record.partition()));
        if (progress == null) {
            return; // not ours any more; the next owner reads it from the committed offset
        }
        progress.started(record.offset());
        V value;
        try {
            value = topic.deserialize(record.value());
            String session = sessionOf.apply(value);
            if (!session.equals(record.key())) {
                throw new PoisonRecordException("record key '" + record.key() + "' is not the session_id '" + session
                        + "': " + topic.name() + " must be keyed by session_id to keep each session in order");
            }
        } catch (PoisonRecordException e) {
            deadLetter(record, e.getMessage());
            progress.done(record.offset());
            return;
        }
        handler.handle(value, new RecordTicket(progress, record.offset(), reason -> deadLetter(record, reason)));
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
        letter.headers()
                .add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8))
                .add(DLQ_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8))
                .add(DLQ_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8))
                .add(DLQ_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(letter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationInterruptedException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            // Not committing past a record we could neither process nor park: stop and let a restart retry it.
            throw new BrokerException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
        }
    }

    /** Stops fetching while too many records are unfinished, so a slow model cannot fill the heap. */
    private void applyBackpressure() {
        int buffered = buffered();
        if (buffered >= maxBuffered) {
            consumer.pause(consumer.assignment());
        } else if (buffered < maxBuffered / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void commit(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((tp, progress) -> {
            long offset = progress.committable();
            if (offset >= 0 && !Long.valueOf(offset).equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
            committed.putAll(offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error == null) {
                    done.forEach((tp, meta) -> committed.put(tp, meta.offset()));
                } else {
                    log.warn("{} offset commit failed (the next one will cover it): {}", name, error.getMessage());
                }
            });
        }
    }

    private void drainAndClose() {
        try {
            for (PartitionProgress progress : partitions.values()) {
                progress.revoke();
            }
            for (PartitionProgress progress : partitions.values()) {
                progress.awaitQuiet(grace.toMillis());
            }
            commit(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{} could not commit on shutdown: {}", name, e.getMessage());
        } finally {
            try {
                clientMetrics.close();
            } catch (Exception e) {
                // metrics of a closing consumer: nothing to keep
            }
            consumer.close(Duration.ofSeconds(5));
            log.info("{} stopped", name);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(tp -> partitions.put(tp, new PartitionProgress()));
            if (!assigned.isEmpty()) {
                log.info("{} assigned {}", name, assigned);
            }
        }

        /** Hands partitions back cleanly: queued work is skipped, running work finishes, then the offsets are committed. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            revoked.forEach(tp -> {
                PartitionProgress progress = partitions.get(tp);
                if (progress != null) {
                    progress.revoke();
                }
            });
            try {
                for (TopicPartition tp : revoked) {
                    PartitionProgress progress = partitions.get(tp);
                    if (progress != null && !progress.awaitQuiet(grace.toMillis())) {
                        log.warn("{} handed back {} with work still in flight; it may run again on the new owner", name, tp);
                    }
                }
                commit(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("{} could not commit revoked partitions: {}", name, e.getMessage());
            }
            revoked.forEach(tp -> {
                partitions.remove(tp);
                committed.remove(tp);
            });
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(tp -> {
                PartitionProgress progress = partitions.remove(tp);
                if (progress != null) {
                    progress.revoke();
                }
                committed.remove(tp);
            });
        }
    }
}
