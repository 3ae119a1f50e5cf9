package io.sessionflow.summarizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SummaryPromptTest {

    private static final List<RunTurns> RUNS = List.of(
            new RunTurns(4, "My name is Ann.", "Hello Ann."),
            new RunTurns(5, "I live in Oslo.", "Nice city."));

    private static SessionSummary previous(String text, int upTo) {
        return new SessionSummary("s1", text, List.of("names"), upTo, SummaryPrompt.VERSION, "local",
                Instant.parse("2024-05-01T10:00:00Z"));
    }

    private static String userPrompt(List<ChatMessage> messages) {
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).role()).isEqualTo(ChatMessage.Role.SYSTEM);
        assertThat(messages.get(1).role()).isEqualTo(ChatMessage.Role.USER);
        return messages.get(1).content();
    }

    private static List<Integer> runIndexesIn(String prompt) {
        List<Integer> indexes = new ArrayList<>();
        Matcher matcher = Pattern.compile("<run index=\"(\\d+)\">").matcher(prompt);
        while (matcher.find()) {
            indexes.add(Integer.parseInt(matcher.group(1)));
        }
        return indexes;
    }

    @Test
    void shouldSayThereIsNoPreviousSummaryForASessionsFirst() {
        String prompt = userPrompt(SummaryPrompt.build(null, RUNS));

        assertThat(prompt).startsWith("There is no previous summary");
        assertThat(prompt).doesNotContain("<previous_summary>", "covers runs");
    }

    @Test
    void shouldIncludePreviousSummaryAndTheRunsItCovers() {
        String prompt = userPrompt(SummaryPrompt.build(previous("Ann introduced herself.", 3), RUNS));

        assertThat(prompt).contains("covers runs 1 to 3");
        assertThat(prompt).contains("<previous_summary>\nAnn introduced herself.\n</previous_summary>");
        assertThat(prompt).doesNotContain("There is no previous summary");
    }

    @Test
    void shouldContainExactlyTheGivenRunsWithUserAndAssistantLines() {
        String prompt = userPrompt(SummaryPrompt.build(previous("Earlier.", 3), RUNS));

        assertThat(runIndexesIn(prompt)).containsExactly(4, 5);
        assertThat(prompt).contains("<run index=\"4\">\nUser: My name is Ann.\nAssistant: Hello Ann.\n</run>\n");
        assertThat(prompt).contains("<run index=\"5\">\nUser: I live in Oslo.\nAssistant: Nice city.\n</run>\n");
        assertThat(prompt.indexOf("<run index=\"4\">")).isLessThan(prompt.indexOf("<run index=\"5\">"));
    }

    @Test
    void shouldPutTheNewExchangesAfterThePreviousSummary() {
        String prompt = userPrompt(SummaryPrompt.build(previous("Earlier.", 3), RUNS));

        assertThat(prompt.indexOf("</previous_summary>")).isLessThan(prompt.indexOf("New exchanges:"));
        assertThat(prompt.indexOf("New exchanges:")).isLessThan(prompt.indexOf("<run index="));
    }

    @Test
    void shouldAskForSummaryAndTopicsInTheSystemMessage() {
        String system = SummaryPrompt.build(null, RUNS).get(0).content();

        assertThat(system).contains("\"summary\"", "\"topics\"");
    }

    @Test
    void shouldRequireSummaryAndTopicsAndForbidOtherProperties() {
        JsonNode schema = SummaryPrompt.SCHEMA;

        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("summary", "topics");
        assertThat(schema.get("additionalProperties").isBoolean()).isTrue();
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.get("properties").get("summary").get("type").asText()).isEqualTo("string");
        assertThat(schema.get("properties").get("topics").get("type").asText()).isEqualTo("array");
        assertThat(schema.get("properties").get("topics").get("items").get("type").asText()).isEqualTo("string");
        assertThat(schema.get("properties").size()).isEqualTo(2);
    }
}
