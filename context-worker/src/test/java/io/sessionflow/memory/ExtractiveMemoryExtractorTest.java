package io.sessionflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveMemoryExtractorTest {

    private final ExtractiveMemoryExtractor extractor = new ExtractiveMemoryExtractor();

    private static UserTurn said(String message) {
        return new UserTurn("s1", "r1", 1, message, "I received: " + message);
    }

    private static UserMemory stored(String id, String memory) {
        return new UserMemory(id, "alice", memory, List.of("preferences"), "s0", "r0", Instant.EPOCH, Instant.EPOCH);
    }

    private MemoryDecision decide(List<UserMemory> existing, String... messages) {
        return extractor.extract(existing, UserProfile.empty("alice"), java.util.Arrays.stream(messages).map(ExtractiveMemoryExtractorTest::said).toList(),
                true).orElseThrow();
    }

    @Test
    void shouldRememberWhatTheUserLovesWithItsOrigin() {
        MemoryDecision decision = decide(List.of(), "I love pizza, especially margherita");

        assertThat(decision.ops()).containsExactly(MemoryOp.add("User loves pizza, especially margherita", List.of("preferences"), "s1", "r1"));
        assertThat(decision.profilePatch().get("preferences").get(0).asText()).isEqualTo("pizza, especially margherita");
    }

    @Test
    void shouldFillTheProfileNameFromMyNameIsAndCallMe() {
        MemoryDecision decision = decide(List.of(), "My name is Mark and I like anime");

        assertThat(decision.ops()).extracting(MemoryOp::memory).containsExactly("User's name is Mark", "User likes anime");
        assertThat(decision.profilePatch().get("name").asText()).isEqualTo("Mark");
        assertThat(decide(List.of(), "Please call me Al.").profilePatch().get("name").asText()).isEqualTo("Al");
    }

    @Test
    void shouldRefreshAStatementSaidAgainInsteadOfAddingIt() {
        MemoryDecision decision = decide(List.of(stored("m1", "User loves pizza")), "I love pizza!");

        assertThat(decision.ops()).containsExactly(MemoryOp.update("m1", "User loves pizza", List.of("preferences"), "s1", "r1"));
    }

    @Test
    void shouldDeleteWhatTheUserNoLongerLikes() {
        MemoryDecision decision = decide(List.of(stored("m1", "User loves pizza"), stored("m2", "User likes tea")),
                "I don't like pizza anymore");

        assertThat(decision.ops()).containsExactly(MemoryOp.delete("m1"));
    }

    @Test
    void shouldReplaceTheOldPlaceWhenTheUserMoves() {
        MemoryDecision decision = decide(List.of(stored("m1", "User lives in Paris")), "I live in Berlin now");

        assertThat(decision.ops()).containsExactly(MemoryOp.update("m1", "User lives in Berlin now", List.of("location"), "s1", "r1"));
        assertThat(decision.profilePatch().get("facts").get("location").asText()).isEqualTo("Berlin now");
    }

    @Test
    void shouldNotAddTheSameStatementTwiceInOneBatch() {
        assertThat(decide(List.of(), "I like tea", "I like tea").ops()).hasSize(1);
    }

    @Test
    void shouldRememberNothingFromSentencesItHasNoPatternFor() {
        MemoryDecision decision = decide(List.of(), "What food do I like?", "Tell me about space");

        assertThat(decision.ops()).isEmpty();
        assertThat(decision.profilePatch()).isNull();
    }

    @Test
    void shouldLeaveTheProfileAloneWhenTheComponentKeepsNone() {
        MemoryDecision decision = extractor.extract(List.of(), UserProfile.empty("alice"), List.of(said("My name is Mark")), false).orElseThrow();

        assertThat(decision.ops()).hasSize(1);
        assertThat(decision.profilePatch()).isNull();
    }

    @Test
    void shouldNotReadTheAssistantsEcho() {
        UserTurn turn = new UserTurn("s1", "r1", 1, "hello", "I love pizza");

        assertThat(extractor.extract(List.of(), UserProfile.empty("alice"), List.of(turn), true).orElseThrow().ops()).isEmpty();
    }
}
