package io.sessionflow.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextPromptTest {

    private static final SessionContext PREVIOUS = new SessionContext("s1", "Planning a trip.", "Visit Rome",
            List.of("Book flights", "Book hotel"), List.of("Packed bags"), 3, ContextPrompt.VERSION,
            Instant.parse("2024-05-01T10:00:00Z"));
    private static final List<RunTurns> RUNS = List.of(
            new RunTurns(4, "Which hotel?", "Try Hotel Roma."),
            new RunTurns(5, "Done with step 1.", "Great, now the hotel."));

    private static String userPrompt(List<ChatMessage> messages) {
        assertThat(messages).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.SYSTEM, ChatMessage.Role.USER);
        return messages.get(1).content();
    }

    @Test
    void shouldIncludeGoalPlanAndProgressOfThePreviousSnapshotInPlanningMode() {
        String prompt = userPrompt(ContextPrompt.build(PREVIOUS, RUNS, true));

        assertThat(prompt).contains("covers runs 1 to 3");
        assertThat(prompt).contains("\"summary\" : \"Planning a trip.\"", "\"goal\" : \"Visit Rome\"", "\"Book flights\"",
                "\"Book hotel\"", "\"Packed bags\"", "\"plan\"", "\"progress\"");
    }

    @Test
    void shouldIncludeOnlyTheSummaryOfThePreviousSnapshotInSummaryMode() {
        String prompt = userPrompt(ContextPrompt.build(PREVIOUS, RUNS, false));

        assertThat(prompt).contains("covers runs 1 to 3", "\"summary\" : \"Planning a trip.\"");
        assertThat(prompt).doesNotContain("\"goal\"", "Visit Rome", "\"plan\"", "Book flights", "\"progress\"", "Packed bags");
    }

    @Test
    void shouldSayThereIsNoPreviousContext() {
        String prompt = userPrompt(ContextPrompt.build(null, RUNS, true));

        assertThat(prompt).startsWith("There is no previous context.");
        assertThat(prompt).doesNotContain("covers runs", "Visit Rome");
    }

    @Test
    void shouldIncludeTheNewRunsWithTheAssistantsAnswers() {
        for (boolean planning : List.of(true, false)) {
            String prompt = userPrompt(ContextPrompt.build(PREVIOUS, RUNS, planning));

            assertThat(prompt).as("planning=" + planning)
                    .contains("<run index=\"4\">\nUser: Which hotel?\nAssistant: Try Hotel Roma.\n</run>\n")
                    .contains("<run index=\"5\">\nUser: Done with step 1.\nAssistant: Great, now the hotel.\n</run>\n");
            assertThat(prompt.indexOf("New turns:")).isGreaterThan(prompt.indexOf("Planning a trip."));
        }
    }

    @Test
    void shouldAskForGoalPlanAndProgressOnlyInPlanningMode() {
        String planning = ContextPrompt.build(null, RUNS, true).get(0).content();
        String summary = ContextPrompt.build(null, RUNS, false).get(0).content();

        assertThat(planning).contains("goal", "plan", "progress", "null");
        assertThat(summary).doesNotContain("goal", "progress", "null");
    }

    @Test
    void shouldRequireEveryPlanningFieldAndAllowNullForTheKeptOnes() {
        JsonNode schema = ContextPrompt.PLANNING_SCHEMA;

        assertThat(schema.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("summary", "goal", "plan", "progress");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("properties").get("summary").get("type").asText()).isEqualTo("string");
        for (String field : List.of("goal", "plan", "progress")) {
            assertThat(schema.get("properties").get(field).get("type")).extracting(JsonNode::asText).as(field).contains("null");
        }
    }

    @Test
    void shouldRequireOnlyTheSummaryInSummaryMode() {
        JsonNode schema = ContextPrompt.SUMMARY_SCHEMA;

        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("summary");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("properties").size()).isEqualTo(1);
    }
}
