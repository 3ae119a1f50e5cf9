package io.sessionflow.runworker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run-worker's meters: runs finished by outcome, runs in flight, the model call's and the end
 * to end (accepted to completed) latency as histograms, and model tokens by model.
 */
final class RunMeters {

    private final MeterRegistry registry;
    private final Counter completed;
    private final Counter failed;
    private final Counter cancelled;
    private final Timer endToEnd;
    private final Timer modelCall;
    private final Timer acceptToStart;
    private final Timer commit;

    RunMeters(MeterRegistry registry, String worker, AtomicInteger inFlight) {
        this.registry = registry;
        this.completed = Counter.builder("sessionflow.runs.completed").tag("worker", worker).register(registry);
        this.failed = Counter.builder("sessionflow.runs.failed").tag("worker", worker).register(registry);
        this.cancelled = Counter.builder("sessionflow.runs.cancelled").tag("worker", worker).register(registry);
        this.endToEnd = Timer.builder("sessionflow.run.end_to_end").description("accepted to completed")
                .publishPercentileHistogram().tag("worker", worker).register(registry);
        this.modelCall = Timer.builder("sessionflow.run.model_call").publishPercentileHistogram().tag("worker", worker).register(registry);
        this.acceptToStart = Timer.builder("sessionflow.run.accept_to_start").description("accepted to picked up by a worker")
                .publishPercentileHistogram().tag("worker", worker).register(registry);
        this.commit = Timer.builder("sessionflow.run.commit").description("the run and session state committed")
                .publishPercentileHistogram().tag("worker", worker).register(registry);
        Gauge.builder("sessionflow.runs.in_flight", inFlight, AtomicInteger::get).tag("worker", worker).register(registry);
    }

    /** Model calls waiting for their answer: the concurrency that matters when models take seconds. */
    static void modelCallsInFlight(MeterRegistry registry, java.util.function.IntSupplier calls) {
        Gauge.builder("sessionflow.model.calls_in_flight", calls::getAsInt).register(registry);
    }

    /** Sizes of the group commits of one of the run's transactions ({@code start} or {@code commit}). */
    static java.util.function.IntConsumer batchSizes(MeterRegistry registry, String transaction) {
        io.micrometer.core.instrument.DistributionSummary sizes = io.micrometer.core.instrument.DistributionSummary
                .builder("sessionflow.run.batch_size").description("runs per group commit").tag("transaction", transaction)
                .register(registry);
        return sizes::record;
    }

    void record(RunOutcome outcome) {
        if (outcome instanceof RunOutcome.Completed done) {
            completed.increment();
            var event = done.event();
            endToEnd.record(Duration.between(event.requestedAt(), event.completedAt()));
            modelCall.record(Duration.ofMillis(event.metrics().modelLatencyMs()));
            acceptToStart.record(Duration.ofMillis(event.metrics().acceptToStartMs()));
            commit.record(Duration.ofMillis(event.metrics().commitMs()));
            Counter.builder("sessionflow.model.tokens").tag("direction", "in").tag("model", event.model()).register(registry)
                    .increment(event.metrics().inputTokens());
            Counter.builder("sessionflow.model.tokens").tag("direction", "out").tag("model", event.model()).register(registry)
                    .increment(event.metrics().outputTokens());
        } else if (outcome instanceof RunOutcome.Failed failure) {
            if ("cancelled".equals(failure.event().status())) {
                cancelled.increment();
            } else {
                failed.increment();
            }
        }
    }
}
