package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.memory.UserMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** User memories on the real broker and Postgres: re-keyed by user with Kafka Streams, extracted per user in order. */
@PipelineIT
class MemoriesIT {

    private final TestPipeline pipeline;
    private final Rows rows;

    MemoriesIT(TestPipeline pipeline) {
        this.pipeline = pipeline;
        this.rows = new Rows(pipeline.database);
    }
    private final MemoryStore memories = new MemoryStore();

    private String run(String user, String session, String message) {
        GatewayClient.Response response = pipeline.client.run("agents", "memory-assistant", SessionSemanticsIT.body(user, session, message, null));
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body().path("content").asText();
    }

    private List<UserMemory> memoriesOf(String user) {
        return pipeline.database.withConnection(c -> memories.recent(c, user, 100));
    }

    private void awaitProgress(String user, String session, int runIndex) {
        Eventually.await("memories of " + user + " cover run " + runIndex + " of " + session, Duration.ofSeconds(40), () -> rows.count(
                "SELECT count(*) FROM user_memory_progress WHERE user_id = ? AND session_id = ? AND up_to_run_index >= ?",
                user, session, runIndex) == 1);
    }

    @Test
    void shouldRememberWhatAUserSaidInOneSessionWithItsSessionAndRun() {
        String alice = SessionSemanticsIT.newId("alice");
        String session = SessionSemanticsIT.newId("memories");

        run(alice, session, "I love pizza, especially margherita");
        awaitProgress(alice, session, 1);

        List<UserMemory> stored = memoriesOf(alice);
        assertThat(stored).extracting(UserMemory::memory).containsExactly("User loves pizza, especially margherita");
        assertThat(stored.get(0).sessionId()).isEqualTo(session);
        assertThat(stored.get(0).runId()).isEqualTo(rows.text("SELECT run_id FROM runs WHERE session_id = ? AND run_index = 1", session));
        assertThat(stored.get(0).topics()).containsExactly("preferences");
    }

    @Test
    void shouldKeepOneConsistentSetWhenTwoSessionsOfOneUserWriteAtOnce() throws Exception {
        String user = SessionSemanticsIT.newId("busy");
        String first = SessionSemanticsIT.newId("memories-a");
        String second = SessionSemanticsIT.newId("memories-b");
        ExecutorService both = Executors.newFixedThreadPool(2);
        List<Future<?>> sent = new ArrayList<>();
        for (String session : List.of(first, second)) {
            sent.add(both.submit(() -> {
                for (int i = 1; i <= 6; i++) {
                    run(user, session, "I like topic number " + i + " and I love pizza");
                }
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        both.shutdown();
        awaitProgress(user, first, 6);
        awaitProgress(user, second, 6);

        List<String> texts = memoriesOf(user).stream().map(UserMemory::memory).toList();
        // Each statement once, whichever session said it: nothing lost, nothing duplicated.
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            expected.add("User likes topic number " + i);
        }
        expected.add("User loves pizza");
        assertThat(texts).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldChangeNothingWhenARunCompletedIsDeliveredAgain() {
        String user = SessionSemanticsIT.newId("redelivered");
        String session = SessionSemanticsIT.newId("memories");
        run(user, session, "I like green tea");
        run(user, session, "I don't like green tea anymore");
        awaitProgress(user, session, 2);
        assertThat(memoriesOf(user)).isEmpty();

        // The first run's request again: were it applied anew, "User likes green tea" would come back.
        String requests = pipeline.kafka.topics().memoriesRequested().name();
        List<ConsumerRecord<String, byte[]>> seen = TopicReader.readUntil(pipeline.kafka, requests, Duration.ofSeconds(30),
                records -> records.stream().filter(r -> user.equals(r.key())).count() == 2);
        ConsumerRecord<String, byte[]> firstRequest = seen.stream().filter(r -> user.equals(r.key())).findFirst().orElseThrow();
        try (KafkaProducer<String, byte[]> producer = pipeline.kafka.producer("memories-redelivery")) {
            producer.send(new ProducerRecord<>(requests, user, firstRequest.value()));
            producer.flush();
        }
        // A later run of the same user (same partition, so read after the redelivery) shows it was consumed.
        run(user, session, "I prefer coffee");
        awaitProgress(user, session, 3);

        assertThat(memoriesOf(user)).extracting(UserMemory::memory).containsExactly("User prefers coffee");
        assertThat(rows.count("SELECT up_to_run_index FROM user_memory_progress WHERE user_id = ?", user)).isEqualTo(3);
    }

    @Test
    void shouldKeepEachUsersMemoriesApartAndFillTheProfile() {
        String alice = SessionSemanticsIT.newId("alice");
        String bob = SessionSemanticsIT.newId("bob");
        String aliceSession = SessionSemanticsIT.newId("memories");
        String bobSession = SessionSemanticsIT.newId("memories");
        run(alice, aliceSession, "My name is Alice and I love pizza");
        run(bob, bobSession, "What food do I like?");
        awaitProgress(alice, aliceSession, 1);
        awaitProgress(bob, bobSession, 1);

        assertThat(memoriesOf(alice)).hasSize(2);
        assertThat(memoriesOf(bob)).isEmpty();
        assertThat(rows.text("SELECT profile->>'name' FROM user_profiles WHERE user_id = ?", alice)).isEqualTo("Alice");
        assertThat(rows.count("SELECT count(*) FROM user_profiles WHERE user_id = ?", bob)).isZero();
    }

    @Test
    void shouldShowAUsersMemoriesInABrandNewSessionOfThatUserOnly() {
        String alice = SessionSemanticsIT.newId("alice");
        String bob = SessionSemanticsIT.newId("bob");
        String first = SessionSemanticsIT.newId("memories");
        run(alice, first, "I love pizza, especially margherita");
        awaitProgress(alice, first, 1);

        // The local model reports its system message: the new session was shown what the first one taught.
        String answer = run(alice, SessionSemanticsIT.newId("memories"), "What food do I like?");
        assertThat(answer).contains("<memories_from_previous_interactions>").contains("User loves pizza, especially margherita")
                .contains("prefer information from this conversation");
        String bobsAnswer = run(bob, SessionSemanticsIT.newId("memories"), "What food do I like?");
        assertThat(bobsAnswer).doesNotContain("pizza").doesNotContain("<memories_from_previous_interactions>");
    }
}
