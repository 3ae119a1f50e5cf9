package io.sessionflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryRequestsTopologyTest {

    private final Topics topics = new Topics("t.");
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> completed;
    private TestOutputTopic<String, byte[]> requested;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "memory-requests-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(MemoryRequestsTopology.build(topics, ComponentRegistry.builtIn()), config);
        completed = driver.createInputTopic(topics.runsCompleted().name(), new StringSerializer(), new ByteArraySerializer());
        requested = driver.createOutputTopic(topics.memoriesRequested().name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static RunCompleted run(String sessionId, String userId, String componentId, int runIndex) {
        RunRequested request = RunRequested.of(ComponentType.AGENT, componentId, sessionId, userId, "I love pizza")
                .withRunId(sessionId + "-run-" + runIndex).withRequestedAt(Instant.EPOCH);
        return RunCompleted.of(request, runIndex, "ok", "local", null, Instant.EPOCH);
    }

    private void complete(RunCompleted run) {
        completed.pipeInput(run.sessionId(), Json.toBytes(run));
    }

    @Test
    void shouldReKeyRunsOfMemoryEnabledComponentsByUser() {
        RunCompleted first = run("session-1", "alice", "memory-assistant", 1);
        complete(first);
        complete(run("session-2", "alice", "memory-assistant", 1));

        var records = requested.readKeyValuesToList();
        assertThat(records).extracting(kv -> kv.key).containsExactly("alice", "alice");
        assertThat(new String(records.get(0).value, StandardCharsets.UTF_8)).isEqualTo(new String(Json.toBytes(first), StandardCharsets.UTF_8));
    }

    @Test
    void shouldDropRunsOfComponentsWithoutMemories() {
        complete(run("session-3", "alice", "chat-with-history", 1));
        complete(run("session-4", "alice", "no-such-component", 1));

        assertThat(requested.isEmpty()).isTrue();
    }

    @Test
    void shouldDropRunsWithoutAUserRatherThanPoolStrangersUnderOneKey() {
        complete(run("session-5", null, "memory-assistant", 1));
        complete(run("session-6", " ", "memory-assistant", 1));

        assertThat(requested.isEmpty()).isTrue();
    }

    @Test
    void shouldDropRecordsThatDoNotParseAndKeepGoing() {
        completed.pipeInput("session-7", "{not json".getBytes(StandardCharsets.UTF_8));
        complete(run("session-8", "bob", "memory-assistant", 1));

        assertThat(requested.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("bob");
    }
}
