package io.sessionflow.memory;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.kafka.PoisonRecordException;
import io.sessionflow.kafka.Topic;
import io.sessionflow.kafka.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Re-keys completed runs by user: {@code runs.completed} (keyed by session) to {@code memories.requested}
 * (keyed by user id), keeping only runs of components with {@code update_memory_on_run}. Memories change
 * per user while runs arrive per session; after this, all of one user's extraction work is on one
 * partition, in order, whatever session it came from. The value is the run's {@code RunCompleted} as it came.
 *
 * <p>A run without a user id is dropped: memories are about a person, and pooling every anonymous
 * caller's facts under one key would show one stranger's facts to another. A record that does not parse
 * is dropped here too; the summarizer and context workers dead-letter it from the same topic.
 *
 * <p>Stateless (filter and re-key straight into the output topic), so it needs no state store and no
 * internal topic; run with exactly-once processing, a redelivered input never yields a second request.
 */
public final class MemoryRequestsTopology {

    private MemoryRequestsTopology() {
    }

    public static Topology build(Topics topics, ComponentRegistry components) {
        Topic<RunCompleted> completed = topics.runsCompleted();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(completed.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMap((sessionId, value) -> request(completed, components, value))
                .to(topics.memoriesRequested().name(), Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    static List<KeyValue<String, byte[]>> request(Topic<RunCompleted> completed, ComponentRegistry components, byte[] value) {
        RunCompleted run;
        try {
            run = completed.deserialize(value);
        } catch (PoisonRecordException e) {
            return List.of();
        }
        if (run.userId() == null || run.userId().isBlank()) {
            return List.of();
        }
        boolean remembers = components.find(run.componentType(), run.componentId())
                .map(ComponentDefinition::updateMemoryOnRun).orElse(false);
        return remembers ? List.of(KeyValue.pair(run.userId(), value)) : List.of();
    }
}
