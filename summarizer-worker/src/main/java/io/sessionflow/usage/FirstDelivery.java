package io.sessionflow.usage;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Lets each run through once, stamped with its own finish time. A run's completion can reach the bus
 * twice (a commit retried after its event was sent, a record produced again by hand); exactly-once
 * processing covers redelivery inside Kafka, not a second record. The run ids seen are kept in a window
 * store, which drops them by itself after {@link #REMEMBER}: longer than the aggregation's grace, so a
 * repeat that could still be counted is always recognised.
 *
 * <p>Records of one run always arrive on one partition (both topics are keyed by session), so the
 * store needs no repartition by run id.
 */
final class FirstDelivery implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    static final String STORE = "usage-runs-seen";
    static final Duration REMEMBER = Duration.ofDays(3);

    private FixedKeyProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        long at = (event.finishedAt() == null ? Instant.ofEpochMilli(record.timestamp()) : event.finishedAt()).toEpochMilli();
        try (WindowStoreIterator<Long> earlier = seen.fetch(event.runId(), at - REMEMBER.toMillis(), at + REMEMBER.toMillis())) {
            if (earlier.hasNext()) {
                return;
            }
        }
        seen.put(event.runId(), at, at);
        // Windows follow when the run finished, not when its record was produced (a replay, a late producer).
        context.forward(record.withTimestamp(at));
    }
}
