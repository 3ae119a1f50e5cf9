package io.sessionflow.usage;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import io.sessionflow.store.usage.UsageKey;
import io.sessionflow.store.usage.UsageTotals;
import io.sessionflow.store.usage.UsageWindow;
import io.sessionflow.store.usage.UsageWindow.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Usage per user, component and model, in hourly and daily windows, from {@code runs.completed} and
 * {@code runs.failed}:
 * <ol>
 *   <li>each finished run becomes a {@link UsageEvent} (a record that does not parse is left to the
 *       workers that dead-letter it);</li>
 *   <li>{@link FirstDelivery} lets each run id through once, timed by when the run finished;</li>
 *   <li>re-keyed by (user, component, model) and summed in tumbling windows that accept runs arriving up to
 *       {@link #GRACE} late;</li>
 *   <li>every new total of a window goes to {@code sink}, which stores it as the window's absolute value.</li>
 * </ol>
 * Kafka Streams is the right tool here: a re-key, windowed sums with lateness, and exactly-once state.
 */
public final class UsageTopology {

    /** How late a run may arrive and still be counted in its window; a later one is dropped (Streams' dropped-records metric). */
    static final Duration GRACE = Duration.ofHours(24);

    private UsageTopology() {
    }

    public static Topology build(Topics topics, Consumer<UsageWindow> sink) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(FirstDelivery.STORE, FirstDelivery.REMEMBER, FirstDelivery.REMEMBER, false),
                Serdes.String(), Serdes.Long()));
        Topic<RunCompleted> completed = topics.runsCompleted();
        Topic<RunFailed> failed = topics.runsFailed();
        KStream<String, UsageEvent> events = builder.stream(completed.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMapValues(value -> parse(completed, value).map(UsageEvent::of).stream().toList(), Named.as("completed-usage"))
                .merge(builder.stream(failed.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                        .flatMapValues(value -> parse(failed, value).flatMap(UsageEvent::of).stream().toList(), Named.as("failed-usage")));
        Serde<UsageKey> keySerde = JsonSerde.of(UsageKey.class);
        Serde<UsageTotals> totalsSerde = JsonSerde.of(UsageTotals.class);
        KGroupedStream<UsageKey, UsageTotals> byKey = events
                .processValues(FirstDelivery::new, Named.as("first-delivery"), FirstDelivery.STORE)
                .map((sessionId, event) -> KeyValue.pair(event.key(), event.totals()), Named.as("by-user-component-model"))
                .groupByKey(Grouped.with("usage-by-key", keySerde, totalsSerde));
        for (Granularity granularity : Granularity.values()) {
            byKey.windowedBy(TimeWindows.ofSizeAndGrace(granularity.size(), GRACE))
                    .aggregate(() -> UsageTotals.NONE, (key, run, total) -> total.plus(run), Named.as("usage-per-" + granularity.wireName()),
                            Materialized.<UsageKey, UsageTotals, WindowStore<Bytes, byte[]>>as("usage-per-" + granularity.wireName())
                                    .withKeySerde(keySerde).withValueSerde(totalsSerde))
                    .toStream(Named.as("usage-per-" + granularity.wireName() + "-changes"))
                    .foreach((window, total) -> sink.accept(new UsageWindow(granularity, Instant.ofEpochMilli(window.window().start()),
                            window.key(), total)), Named.as("store-usage-per-" + granularity.wireName()));
        }
        return builder.build();
    }

    private static <T> Optional<T> parse(Topic<T> topic, byte[] value) {
        try {
            return Optional.of(topic.deserialize(value));
        } catch (PoisonRecordException e) {
            return Optional.empty();
        }
    }
}
