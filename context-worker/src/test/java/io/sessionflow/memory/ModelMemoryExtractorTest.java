package io.sessionflow.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.model.ModelException;
import io.sessionflow.model.ScriptedModel;
import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelMemoryExtractorTest {

    private static final List<UserMemory> EXISTING = List.of(
            new UserMemory("m1", "alice", "User likes tea", List.of("drinks"), "s0", "r0", Instant.EPOCH, Instant.EPOCH));
    private static final List<UserTurn> TURNS = List.of(new UserTurn("s1", "r5", 5, "I switched to coffee, and I love pizza", "Noted!"));

    @Test
    void shouldTurnTheModelsOperationsIntoMemoryOperationsWithTheirOrigin() {
        ScriptedModel model = new ScriptedModel("""
                {"operations": [
                   {"op": "update", "memory_id": "m1", "memory": "User drinks coffee, not tea", "topics": ["drinks"], "run_index": 5},
                   {"op": "add", "memory_id": null, "memory": "User loves pizza", "topics": ["food"], "run_index": null}],
                 "profile": {"name": null, "preferences": ["coffee", "pizza"], "facts": [{"key": "diet", "value": "omnivore"}]}}""");

        MemoryDecision decision = new ModelMemoryExtractor(model, 3).extract(EXISTING, UserProfile.empty("alice"), TURNS, true).orElseThrow();

        assertThat(decision.ops()).containsExactly(
                MemoryOp.update("m1", "User drinks coffee, not tea", List.of("drinks"), "s1", "r5"),
                MemoryOp.add("User loves pizza", List.of("food"), "s1", "r5"));
        assertThat(decision.profilePatch().get("preferences")).hasSize(2);
        assertThat(decision.profilePatch().get("facts").get("diet").asText()).isEqualTo("omnivore");
        assertThat(model.schemaNames).containsExactly("user_memories");
        assertThat(model.schemas.get(0)).isEqualTo(MemoryPrompt.SCHEMA);
        assertThat(model.prompts.get(0).get(1).content()).contains("m1").contains("User likes tea").contains("Assistant: Noted!");
    }

    @Test
    void shouldRetryAnAnswerThatNamesAnotherUsersMemoryThenAcceptAValidOne() {
        ScriptedModel model = new ScriptedModel(
                "{\"operations\": [{\"op\": \"delete\", \"memory_id\": \"not-hers\", \"memory\": null, \"topics\": [], \"run_index\": 5}], \"profile\": null}",
                "not json at all",
                "{\"operations\": [{\"op\": \"delete\", \"memory_id\": \"m1\", \"memory\": null, \"topics\": [], \"run_index\": 5}], \"profile\": null}");

        MemoryDecision decision = new ModelMemoryExtractor(model, 3).extract(EXISTING, UserProfile.empty("alice"), TURNS, true).orElseThrow();

        assertThat(model.calls()).isEqualTo(3);
        assertThat(decision.ops()).containsExactly(MemoryOp.delete("m1"));
    }

    @Test
    void shouldSkipAfterTheLastMalformedAnswerSoNothingIsApplied() {
        ScriptedModel model = new ScriptedModel("{\"operations\": \"all of them\", \"profile\": null}",
                "{\"operations\": [{\"op\": \"add\", \"memory_id\": null, \"memory\": \"\", \"topics\": [], \"run_index\": 5}], \"profile\": null}",
                "{\"operations\": [], \"profile\": {\"name\": 7, \"preferences\": null, \"facts\": null}}");

        assertThat(new ModelMemoryExtractor(model, 3).extract(EXISTING, UserProfile.empty("alice"), TURNS, true)).isEmpty();
        assertThat(model.calls()).isEqualTo(3);
    }

    @Test
    void shouldStopAtAPermanentModelFailure() {
        ScriptedModel model = new ScriptedModel(new ModelException("bad request", false, null));

        assertThat(new ModelMemoryExtractor(model, 3).extract(EXISTING, UserProfile.empty("alice"), TURNS, true)).isEmpty();
        assertThat(model.calls()).isEqualTo(1);
    }
}
