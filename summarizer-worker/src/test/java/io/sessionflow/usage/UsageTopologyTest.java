package io.sessionflow.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunRequested;
import io.sessionflow.event.RunFailed;
import io.sessionflow.event.RunMetrics;
import io.sessionflow.json.Json;
import io.sessionflow.kafka.Topics;
import io.sessionflow.store.usage.UsageKey;
import io.sessionflow.store.usage.UsageTotals;
import io.sessionflow.store.usage.UsageWindow.Granularity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageTopologyTest {

    private static final Instant NINE = Instant.parse("2026-11-30T09:10:00Z");

    private final Topics topics = new Topics("t.");
    /** What Postgres would hold: the last total written for each window and key. */
    private final Map<String, UsageTotals> stored = new LinkedHashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> completed;
    private TestInputTopic<String, byte[]> failed;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "usage-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(UsageTopology.build(topics, window -> stored.put(id(window.granularity(), window.windowStart(),
                window.key()), window.totals())), config);
        completed = driver.createInputTopic(topics.runsCompleted().name(), new StringSerializer(), new ByteArraySerializer());
        failed = driver.createInputTopic(topics.runsFailed().name(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static String id(Granularity granularity, Instant start, UsageKey key) {
        return granularity.wireName() + "|" + start + "|" + key;
    }

    private static UsageKey key(String user, String model) {
        return new UsageKey(user, "agent", "assistant", model);
    }

    private void complete(String runId, String sessionId, String user, String model, long in, long out, Instant at) {
        RunRequested request = RunRequested.of(ComponentType.AGENT, "assistant", sessionId, user, "hi").withRunId(runId)
                .withRequestedAt(at.minusSeconds(1));
        RunCompleted run = RunCompleted.of(request, 1, "ok", model, new RunMetrics(in, out, 1, 2), at);
        // The record's own timestamp is "now": the topology must window by when the run finished.
        completed.pipeInput(sessionId, Json.toBytes(run), NINE.plus(Duration.ofDays(30)));
    }

    private void fail(String runId, String sessionId, String user, String status, Instant at) {
        RunRequested request = RunRequested.of(ComponentType.AGENT, "assistant", sessionId, user, "hi").withRunId(runId)
                .withRequestedAt(at.minusSeconds(1));
        RunFailed run = RunFailed.of(request, status, "boom", at);
        failed.pipeInput(sessionId, Json.toBytes(run), at);
    }

    private UsageTotals hour(Instant start, UsageKey key) {
        return stored.get(id(Granularity.HOUR, start, key));
    }

    private UsageTotals day(Instant start, UsageKey key) {
        return stored.get(id(Granularity.DAY, start, key));
    }

    @Test
    void shouldSumRunsAndTokensPerUserComponentAndModelInHourlyAndDailyWindows() {
        complete("r1", "s1", "alice", "gpt-a", 10, 5, NINE);
        complete("r2", "s2", "alice", "gpt-a", 20, 7, NINE.plusSeconds(60));
        complete("r3", "s1", "alice", "gpt-b", 1, 1, NINE.plusSeconds(120));
        complete("r4", "s3", "bob", "gpt-a", 3, 3, NINE.plus(Duration.ofHours(1)));

        Instant nineOClock = Instant.parse("2026-11-30T09:00:00Z");
        Instant midnight = Instant.parse("2026-11-30T00:00:00Z");
        assertThat(hour(nineOClock, key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 30, 12));
        assertThat(hour(nineOClock, key("alice", "gpt-b"))).isEqualTo(new UsageTotals(1, 0, 1, 1));
        assertThat(hour(nineOClock, key("bob", "gpt-a"))).isNull();
        assertThat(hour(nineOClock.plus(Duration.ofHours(1)), key("bob", "gpt-a"))).isEqualTo(new UsageTotals(1, 0, 3, 3));
        assertThat(day(midnight, key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 30, 12));
        assertThat(day(midnight, key("bob", "gpt-a"))).isEqualTo(new UsageTotals(1, 0, 3, 3));
    }

    @Test
    void shouldCountARunDeliveredTwiceOnce() {
        complete("r1", "s1", "alice", "gpt-a", 10, 5, NINE);
        complete("r1", "s1", "alice", "gpt-a", 10, 5, NINE);
        complete("r2", "s1", "alice", "gpt-a", 1, 1, NINE.plusSeconds(5));
        complete("r1", "s1", "alice", "gpt-a", 10, 5, NINE);

        assertThat(hour(Instant.parse("2026-11-30T09:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 11, 6));
        assertThat(day(Instant.parse("2026-11-30T00:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 11, 6));
    }

    @Test
    void shouldCountALateRunInTheWindowItFinishedInWithinGraceAndDropItAfter() {
        complete("r1", "s1", "alice", "gpt-a", 1, 1, NINE);
        complete("r2", "s1", "alice", "gpt-a", 1, 1, NINE.plus(Duration.ofHours(5)));
        // Five hours late, within the grace: counted at nine, not at fourteen.
        complete("r3", "s1", "alice", "gpt-a", 1, 1, NINE.plusSeconds(30));
        assertThat(hour(Instant.parse("2026-11-30T09:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 2, 2));
        assertThat(hour(Instant.parse("2026-11-30T14:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(1, 0, 1, 1));

        // Three days on, a run from the first morning is past every window's grace: dropped, totals unchanged.
        complete("r4", "s1", "alice", "gpt-a", 1, 1, NINE.plus(Duration.ofDays(3)));
        complete("r5", "s1", "alice", "gpt-a", 100, 100, NINE.plusSeconds(40));
        assertThat(hour(Instant.parse("2026-11-30T09:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(2, 0, 2, 2));
        assertThat(day(Instant.parse("2026-11-30T00:00:00Z"), key("alice", "gpt-a"))).isEqualTo(new UsageTotals(3, 0, 3, 3));
    }

    @Test
    void shouldCountFailedRunsAsErrorsAndLeaveCancelledRunsOut() {
        fail("r1", "s1", "alice", "failed", NINE);
        fail("r2", "s1", "alice", "cancelled", NINE);
        complete("r3", "s1", "alice", "gpt-a", 4, 2, NINE);

        Instant nineOClock = Instant.parse("2026-11-30T09:00:00Z");
        assertThat(hour(nineOClock, key("alice", ""))).isEqualTo(new UsageTotals(1, 1, 0, 0));
        assertThat(hour(nineOClock, key("alice", "gpt-a"))).isEqualTo(new UsageTotals(1, 0, 4, 2));
        assertThat(stored).hasSize(4);
    }

    @Test
    void shouldSkipRecordsThatDoNotParseAndGoOn() {
        completed.pipeInput("s1", "not json".getBytes(StandardCharsets.UTF_8));
        complete("r1", "s1", null, "gpt-a", 1, 2, NINE);

        assertThat(hour(Instant.parse("2026-11-30T09:00:00Z"), key("", "gpt-a"))).isEqualTo(new UsageTotals(1, 0, 1, 2));
    }
}
