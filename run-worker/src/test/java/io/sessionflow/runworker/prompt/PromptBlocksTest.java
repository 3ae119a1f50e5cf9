package io.sessionflow.runworker.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBlocksTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final String CONTEXT_NOTE = "Note: this context was built from earlier turns of this session. "
            + "If the current messages contradict it, the current messages win.";
    private static final ObjectNode STATE = Json.parseObject("{\"user_name\":\"John\"}");
    private static final String PRETTY_STATE = "{\n  \"user_name\" : \"John\"\n}";

    private static SessionSummary summary(String text) {
        return new SessionSummary("s1", text, List.of("topic"), 4, "summary-v1", "local", NOW);
    }

    private static SessionContext context(String summary, String goal, List<String> plan, List<String> progress) {
        return new SessionContext("s1", summary, goal, plan, progress, 4, "context-v1", NOW);
    }

    private static PromptFlags flags(boolean state) {
        return new PromptFlags(false, 3, null, state);
    }

    @Test
    void shouldRenderSummaryBlockExactlyWithStrippedSummary() {
        String block = PromptBlocks.summary(summary("  \n The user is John and likes Kafka.\n\n "));

        assertThat(block).isEqualTo("Here is a brief summary of your previous interactions:\n\n"
                + "<summary_of_previous_interactions>\n"
                + "The user is John and likes Kafka."
                + "\n</summary_of_previous_interactions>\n\n"
                + "Note: this information is from previous interactions and may be outdated. "
                + "You should ALWAYS prefer information from this conversation over the past summary.");
    }

    @Test
    void shouldStartSummaryBlockWithIntroductionAndEndWithPreferenceNote() {
        String block = PromptBlocks.summary(summary("Talked about trains."));

        assertThat(block)
                .startsWith("Here is a brief summary of your previous interactions:\n\n<summary_of_previous_interactions>\n")
                .contains("\nTalked about trains.\n</summary_of_previous_interactions>\n\n")
                .endsWith("You should ALWAYS prefer information from this conversation over the past summary.");
    }

    @Test
    void shouldRenderEveryPartOfContextBlockInOrder() {
        String block = PromptBlocks.context(context("  Planning a trip. ", " Visit Rome ", List.of("a", "b", "c"),
                List.of("a", "b")));

        assertThat(block).isEqualTo("<session_context>\n"
                + "Summary: Planning a trip.\n"
                + "Goal: Visit Rome\n"
                + "Plan:\n"
                + "1. a\n"
                + "2. b\n"
                + "3. c\n"
                + "Completed:\n"
                + "✓ a\n"
                + "✓ b\n"
                + "</session_context>\n\n"
                + CONTEXT_NOTE);
    }

    @Test
    void shouldRenderOnlySummaryWhenGoalPlanAndProgressAreEmpty() {
        String block = PromptBlocks.context(context("Just chatting.", null, List.of(), List.of()));

        assertThat(block).isEqualTo("<session_context>\nSummary: Just chatting.\n</session_context>\n\n" + CONTEXT_NOTE);
        assertThat(block).doesNotContain("Goal:", "Plan:", "Completed:");
    }

    @Test
    void shouldOmitBlankSummaryAndBlankGoal() {
        String block = PromptBlocks.context(context("   ", " ", List.of("x"), List.of()));

        assertThat(block).isEqualTo("<session_context>\nPlan:\n1. x\n</session_context>\n\n" + CONTEXT_NOTE);
    }

    @Test
    void shouldOmitNullSummaryAndRenderProgressWithoutPlan() {
        String block = PromptBlocks.context(context(null, "Ship it", List.of(), List.of("wrote tests")));

        assertThat(block).isEqualTo("<session_context>\nGoal: Ship it\nCompleted:\n✓ wrote tests\n</session_context>\n\n"
                + CONTEXT_NOTE);
    }

    @Test
    void shouldRenderEmptyContextAsOnlyTagsAndNote() {
        String block = PromptBlocks.context(context(null, null, List.of(), List.of()));

        assertThat(block).isEqualTo("<session_context>\n</session_context>\n\n" + CONTEXT_NOTE);
    }

    @Test
    void shouldAppendMemoryBlockToInstructionsAfterTwoNewlines() {
        String block = PromptBlocks.summary(summary("Earlier talk."));

        List<ChatMessage> messages = PromptBuilder.build("Hello {user_name}", flags(false), STATE, "u1", List.of(), "hi",
                List.of(block));

        assertThat(messages).containsExactly(ChatMessage.system("Hello John\n\n" + block), ChatMessage.user("hi"));
    }

    @Test
    void shouldAppendMemoryBlocksAfterSessionStateBlock() {
        String summaryBlock = PromptBlocks.summary(summary("Earlier talk."));
        String contextBlock = PromptBlocks.context(context("Now.", "Goal", List.of(), List.of()));

        List<ChatMessage> messages = PromptBuilder.build("Hello {user_name}", flags(true), STATE, "u1", List.of(), "hi",
                List.of(summaryBlock, contextBlock));

        assertThat(messages.get(0)).isEqualTo(ChatMessage.system("Hello John\n\n<session_state>\n" + PRETTY_STATE
                + "\n</session_state>\n\n" + summaryBlock + "\n\n" + contextBlock));
    }

    @Test
    void shouldUseOnlyTheBlockAsSystemMessageWhenInstructionsAreEmpty() {
        String block = PromptBlocks.context(context("Now.", null, List.of(), List.of()));

        List<ChatMessage> messages = PromptBuilder.build("", flags(false), STATE, "u1", List.of(), "hi", List.of(block));

        assertThat(messages).containsExactly(ChatMessage.system(block), ChatMessage.user("hi"));
    }

    @Test
    void shouldLeaveSystemMessageUnchangedWithoutMemoryBlocks() {
        List<ChatMessage> withNone = PromptBuilder.build("Hello {user_name}", flags(false), STATE, "u1", List.of(), "hi",
                List.of());

        assertThat(withNone).containsExactly(ChatMessage.system("Hello John"), ChatMessage.user("hi"));
    }
}
