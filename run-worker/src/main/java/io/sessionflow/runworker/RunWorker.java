package io.sessionflow.runworker;

import io.sessionflow.event.RunRequested;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The run-worker's consumer loop: reads {@code runs.requested}, hands each request to its session's
 * lane, publishes the outcome, and commits an offset only when every record before it is done.
 * Many workers in one consumer group share the partitions. Thin on purpose: the work itself is
 * {@link RunProcessor}'s.
 */
public final class RunWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunWorker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaClients clients;
    private final RunProcessor processor;
    private final RunWorkerSettings settings;
    private final Topic<RunRequested> requests;
    private final String name = "run-worker-" + INSTANCES.incrementAndGet();
    private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final ExecutorService executor;
    private final SessionLanes lanes;
    private final Thread pollThread;
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private RunEventPublisher publisher;

    public RunWorker(KafkaClients clients, RunProcessor processor, RunWorkerSettings settings) {
        this.clients = Objects.requireNonNull(clients, "null kafka clients");
        this.processor = Objects.requireNonNull(processor, "null processor");
        this.settings = Objects.requireNonNull(settings, "null settings");
        this.requests = clients.topics().runsRequested();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread thread = new Thread(r, name + "-run-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.lanes = new SessionLanes(executor);
        this.pollThread = new Thread(this::pollLoop, name + "-poll");
    }

    public RunWorker start() {
        producer = clients.producer(name);
        publisher = new RunEventPublisher(producer, clients.topics());
        consumer = clients.consumer(settings.groupId(), name);
        consumer.subscribe(List.of(requests.name()), new Rebalance());
        pollThread.start();
        log.info("{} consuming {} in group {} with {} runs at a time", name, requests.name(), settings.groupId(), settings.concurrency());
        return this;
    }

    /** Stops fetching, lets runs in flight finish within the grace period, commits, and closes. */
    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            pollThread.join(settings.shutdownGrace().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** The partitions this worker owns now. */
    public java.util.Set<TopicPartition> assignedPartitions() {
        return java.util.Set.copyOf(partitions.keySet());
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
                commit(false);
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
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionProgress progress = partitions.get(tp);
        if (progress == null) {
            return; // not ours any more; the next owner reads it from the committed offset
        }
        progress.started(record.offset());
        RunRequested request;
        try {
            request = requests.deserialize(record.value());
            if (!request.sessionId().equals(record.key())) {
                throw new PoisonRecordException("record key '" + record.key() + "' is not the session_id '" + request.sessionId()
                        + "': runs.requested must be keyed by session_id to keep each session in order");
            }
        } catch (PoisonRecordException e) {
            deadLetter(record, e.getMessage());
            progress.done(record.offset());
            return;
        }
        lanes.submit(request.sessionId(), () -> execute(progress, record.offset(), request));
    }

    private void execute(PartitionProgress progress, long offset, RunRequested request) {
        if (progress.isRevoked() || !running) { // handed back: the next owner runs it
            progress.abandoned(offset);
            return;
        }
        MDC.put("run_id", request.runId());
        MDC.put("session_id", request.sessionId());
        try {
            RunOutcome outcome = processor.process(request);
            publisher.publish(outcome).get(30, TimeUnit.SECONDS);
            progress.done(offset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.abandoned(offset);
        } catch (Exception e) {
            // Left uncommitted: the record is read again after a restart or rebalance, and the
            // idempotent processor then finishes or re-emits it. Nothing is dropped.
            log.error("run {} could not be finished; leaving its offset uncommitted", request.runId(), e);
            progress.abandoned(offset);
        } finally {
            MDC.remove("run_id");
            MDC.remove("session_id");
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        try {
            publisher.deadLetter(record, reason).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "@" + record.offset(), e);
        }
    }

    /** Stops fetching while too many records are unfinished, so a slow model cannot fill the heap. */
    private void applyBackpressure() {
        int buffered = buffered();
        Collection<TopicPartition> assigned = consumer.assignment();
        if (buffered >= settings.maxBuffered()) {
            consumer.pause(assigned);
        } else if (buffered < settings.maxBuffered() / 2 && !consumer.paused().isEmpty()) {
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
            committed.putAll(offsets.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())));
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error == null) {
                    done.forEach((tp, meta) -> committed.put(tp, meta.offset()));
                } else {
                    log.warn("offset commit failed (the next one will cover it): {}", error.getMessage());
                }
            });
        }
    }

    private void drainAndClose() {
        long grace = settings.shutdownGrace().toMillis();
        try {
            for (PartitionProgress progress : partitions.values()) {
                progress.awaitQuiet(grace);
            }
            commit(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{} could not commit on shutdown: {}", name, e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(5));
            log.info("{} stopped", name);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(tp -> partitions.put(tp, new PartitionProgress()));
            log.info("{} assigned {}", name, assigned);
        }

        /** Hands partitions back cleanly: queued runs are skipped, running ones finish, then the offsets are committed. */
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
                    if (progress != null && !progress.awaitQuiet(settings.shutdownGrace().toMillis())) {
                        log.warn("{} revoked {} with runs still in flight; they may run again on the new owner", name, tp);
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
