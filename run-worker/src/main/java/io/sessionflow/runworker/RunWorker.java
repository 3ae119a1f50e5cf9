package io.sessionflow.runworker;

import io.sessionflow.OperationInterruptedException;
import io.sessionflow.concurrent.DaemonThreads;
import io.micrometer.core.instrument.MeterRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunContinuation;
import io.sessionflow.event.RunPaused;
import io.sessionflow.event.RunRequested;
import io.sessionflow.kafka.BrokerException;
import io.sessionflow.run.ContinuationRefusedException;
import io.sessionflow.kafka.KafkaClients;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import io.sessionflow.run.Backoff;
import io.sessionflow.store.StoreException;
import io.sessionflow.kafka.consumer.OrderedConsumer;
import io.sessionflow.kafka.consumer.RecordTicket;
import io.sessionflow.kafka.consumer.SessionLanes;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The run-worker: reads {@code runs.requested}, runs each request in its session's lane (one run at
 * a time per session, many sessions at once), publishes the outcome, and only then lets the offset
 * be committed. Many workers in one consumer group share the partitions. Thin on purpose: the work
 * itself is {@link RunProcessor}'s, the offset bookkeeping {@link OrderedConsumer}'s.
 */
public final class RunWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunWorker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /**
     * Pauses while Postgres or Kafka is out of reach around a run. This layer retries what the
     * processor cannot: publishing the outcome, and a database outage that outlasted the processor's
     * own tries. It is bounded by the run's time budget, not by a count.
     */
    private static final Backoff OUTAGE_PAUSES = Backoff.untilStopped(Duration.ofMillis(500), Duration.ofSeconds(10));

    private final KafkaClients clients;
    private final RunProcessor processor;
    private final RunWorkerSettings settings;
    private final String name = "run-worker-" + INSTANCES.incrementAndGet();
    private final ExecutorService executor;
    private final SessionLanes lanes;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaRunEvents events;
    private OrderedConsumer<RunRequested> consumer;
    private OrderedConsumer<RunContinuation> continuations;
    private final ScheduledExecutorService sweeps;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final RunMeters metrics;

    /**
     * @param processorFor builds the processor around this worker's event sink: the sink publishes with
     *                     the worker's producer, so the processor can only be made once the worker has one
     */
    public RunWorker(KafkaClients clients, Function<RunEventSink, RunProcessor> processorFor, RunWorkerSettings settings,
                     MeterRegistry registry) {
        this.metrics = new RunMeters(registry, name, inFlight);
        this.clients = Objects.requireNonNull(clients, "null kafka clients");
        this.settings = Objects.requireNonNull(settings, "null settings");
        this.producer = clients.producer(name);
        this.events = new KafkaRunEvents(producer, clients.topics().runsEvents(), clients.topics().runsRequested(), java.time.Clock.systemUTC());
        this.processor = Objects.requireNonNull(processorFor.apply(events), "null processor");
        this.executor = Executors.newFixedThreadPool(settings.concurrency(), DaemonThreads.numbered(name + "-run-"));
        this.lanes = new SessionLanes(executor);
        this.sweeps = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-pause-sweeper"));
    }

    public RunWorker start() {
        Topic<RunRequested> requests = clients.topics().runsRequested();
        consumer = new OrderedConsumer<>(clients, settings.groupId(), name, requests, RunRequested::sessionId,
                (request, ticket) -> lanes.submit(request.sessionId(), () -> execute(request, ticket)),
                producer, settings.maxBuffered(), settings.shutdownGrace()).start();
        log.info("{} consuming {} in group {} with {} runs at a time", name, requests.name(), settings.groupId(), settings.concurrency());
        // Answers to paused runs, from any producer: applied in the answer's session lane, then the run
        // is sent through runs.requested, so it resumes on whichever worker holds its session.
        Topic<RunContinuation> answers = clients.topics().runsContinuations();
        continuations = new OrderedConsumer<>(clients, settings.groupId() + ".continuations", name + "-continuations", answers,
                RunContinuation::sessionId, (continuation, ticket) -> lanes.submit(continuation.sessionId(), () -> applyContinuation(continuation, ticket)),
                producer, settings.maxBuffered(), settings.shutdownGrace()).start();
        sweeps.scheduleWithFixedDelay(this::sweepPauses, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void applyContinuation(RunContinuation continuation, RecordTicket ticket) {
        MDC.put("run_id", continuation.runId());
        try {
            processor.continueRun(continuation);
            ticket.done();
        } catch (ContinuationRefusedException e) {
            ticket.deadLetter("continuation of run " + continuation.runId() + " refused: " + e.getMessage()
                    + (e.field() == null ? "" : " (" + e.field() + ")"));
        } catch (RuntimeException e) {
            if (ticket.isRevoked() || Thread.currentThread().isInterrupted()) {
                ticket.handBack();
            } else {
                // Its run stays paused (the transaction is all or nothing) and times out if nothing else answers.
                ticket.deadLetter("continuation of run " + continuation.runId() + " could not be applied: " + describe(e));
            }
        } finally {
            MDC.remove("run_id");
        }
    }

    private void sweepPauses() {
        try {
            processor.sweepPauses();
        } catch (RuntimeException e) {
            log.warn("could not sweep paused runs: {}", describe(e));
        }
    }

    /** Stops fetching, lets runs in flight finish within the grace period, hands the rest back, commits, closes. */
    @Override
    public void close() {
        sweeps.shutdownNow();
        if (continuations != null) {
            continuations.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }

    public Set<TopicPartition> assignedPartitions() {
        return consumer.assignedPartitions();
    }

    /**
     * Processes the request and publishes its outcome; only then is the record done. When something
     * outside the run fails (Postgres or Kafka unreachable beyond the processor's own retries), the
     * record is tried again here with a growing pause, so an outage delays runs instead of failing
     * them, for as long as a run may take ({@link RunWorkerSettings#runTimeout()}). Anything else, or
     * an outage that outlasts that, ends the run: stored as failed and announced if the database and
     * broker take it, dead-lettered with the reason if not. The record is left uncommitted only when
     * its partition is handed back.
     */
    private void execute(RunRequested request, RecordTicket ticket) {
        MDC.put("run_id", request.runId());
        MDC.put("session_id", request.sessionId());
        try {
            long giveUpAt = System.nanoTime() + settings.runTimeout().toNanos();
            for (int attempt = 1; ; attempt++) {
                if (ticket.isRevoked()) {
                    ticket.handBack(); // handed back (rebalance or shutdown): the next owner runs it
                    return;
                }
                try {
                    if (request.componentType() == ComponentType.WORKFLOW) {
                        advance(processor.workflows().start(request));
                        ticket.done();
                        return;
                    }
                    RunOutcome outcome;
                    inFlight.incrementAndGet();
                    try {
                        outcome = processor.process(request);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    announce(outcome);
                    // A step that paused (or was parked) goes on when it ends: its request comes through here again.
                    boolean finished = outcome instanceof RunOutcome.Completed || outcome instanceof RunOutcome.Failed;
                    if (request.workflowStep() != null && finished) {
                        // Only once the step's outcome is out: a crash before the next step is published redelivers the step,
                        // which finds itself finished and comes here again.
                        advance(processor.workflows().afterStep(request, outcome));
                    }
                    ticket.done();
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ticket.handBack();
                    return;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        ticket.handBack(); // stopping: the processor let go of the run
                        return;
                    }
                    if (!isOutage(e)) {
                        // A bug, not an outage: trying again would fail the same way and hold the session meanwhile.
                        giveUp(request, ticket, "internal error: " + describe(e), e);
                        return;
                    }
                    long pause = OUTAGE_PAUSES.delayAfter(attempt).toMillis();
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) - giveUpAt > 0) {
                        giveUp(request, ticket, "could not be finished within " + settings.runTimeout().toSeconds() + " s (" + attempt
                                + " tries); last error: " + describe(e), e);
                        return;
                    }
                    log.warn("run {} could not be finished ({}); trying again in {} ms", request.runId(), e.getMessage(), pause);
                    if (!pause(pause)) {
                        ticket.handBack();
                        return;
                    }
                }
            }
        } finally {
            MDC.remove("run_id");
            MDC.remove("session_id");
        }
    }

    /** Publishes a workflow's next step, or announces the workflow run's outcome, and waits until the broker has it. */
    private void advance(WorkflowRuns.Advance advance) throws Exception {
        if (advance instanceof WorkflowRuns.Publish publish) {
            Topic<RunRequested> requests = clients.topics().runsRequested();
            requests.publish(producer, publish.step().sessionId(), publish.step());
        } else if (advance instanceof WorkflowRuns.Finish finish) {
            announce(finish.outcome());
        }
    }

    /** Publishes the outcome and the run's final stream event, and waits until the broker has both. */
    private void announce(RunOutcome outcome) throws Exception {
        if (outcome instanceof RunOutcome.Parked) {
            return; // announced when it has run
        }
        if (outcome instanceof RunOutcome.Paused paused) {
            Topic<RunPaused> topic = clients.topics().runsPaused();
            topic.publish(producer, paused.event().sessionId(), paused.event());
            return;
        }
        java.util.concurrent.Future<?> announced = publish(outcome);
        java.util.concurrent.Future<?> streamed = finalEvent(outcome);
        announced.get(Topic.PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        streamed.get(Topic.PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        metrics.record(outcome);
    }

    /**
     * Postgres or Kafka out of reach: worth waiting for. The processor has classified and retried what the
     * run itself does (model calls, its transactions), so anything else escaping it is a bug.
     */
    private static boolean isOutage(Exception e) {
        if (e instanceof StoreException store) {
            return store.isTransient();
        }
        return e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.TimeoutException
                || e instanceof org.apache.kafka.common.KafkaException || e instanceof BrokerException;
    }

    /** Ends a run that cannot be finished: failed (stored and announced) if possible, else its record dead-lettered. */
    private void giveUp(RunRequested request, RecordTicket ticket, String reason, Exception cause) {
        log.error("run {} failed: {}", request.runId(), reason, cause);
        try {
            RunOutcome failed = processor.fail(request, reason);
            announce(failed);
            if (request.workflowStep() != null) {
                advance(processor.workflows().afterStep(request, failed)); // the workflow run fails with its step
            }
            ticket.done();
        } catch (InterruptedException | OperationInterruptedException e) {
            Thread.currentThread().interrupt();
            ticket.handBack(); // stopping: the record comes back to whoever holds the partition next
        } catch (Exception e) {
            ticket.deadLetter("run " + request.runId() + " failed: " + reason + "; storing it as failed did not work either: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private java.util.concurrent.Future<?> publish(RunOutcome outcome) {
        Topics topics = clients.topics();
        if (outcome instanceof RunOutcome.Completed completed) {
            return producer.send(record(topics.runsCompleted(), completed.event().sessionId(), completed.event()));
        }
        RunOutcome.Failed failed = (RunOutcome.Failed) outcome;
        return producer.send(record(topics.runsFailed(), failed.event().sessionId(), failed.event()));
    }

    private java.util.concurrent.Future<?> finalEvent(RunOutcome outcome) {
        if (outcome instanceof RunOutcome.Completed completed) {
            return events.finished(completed.event().runId(), completed.event().sessionId(), true, completed.event());
        }
        RunOutcome.Failed failed = (RunOutcome.Failed) outcome;
        return events.finished(failed.event().runId(), failed.event().sessionId(), false, failed.event());
    }

    private static <V> ProducerRecord<String, byte[]> record(Topic<V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, topic.serialize(value));
    }
}
