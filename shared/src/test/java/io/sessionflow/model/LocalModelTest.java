package io.sessionflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalModelTest {

    private final LocalModel model = new LocalModel();

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("Users name is John and age is 30"),
            ChatMessage.user("Hello there"),
            ChatMessage.assistant("Hi John"),
            ChatMessage.user("What is my name?"));

    @Test
    void shouldIdentifyAsLocal() {
        assertThat(model.id()).isEqualTo("local");
    }

    @Test
    void shouldAnswerDeterministically() {
        ModelReply first = model.complete(CONVERSATION);
        ModelReply second = new LocalModel().complete(List.copyOf(CONVERSATION));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldAnswerDifferentlyForDifferentInput() {
        ModelReply a = model.complete(List.of(ChatMessage.user("one")));
        ModelReply b = model.complete(List.of(ChatMessage.user("two")));

        assertThat(a.content()).isNotEqualTo(b.content());
    }

    @Test
    void shouldStartAnswerWithLabel() {
        assertThat(model.complete(CONVERSATION).content()).startsWith(LocalModel.LABEL);
    }

    @Test
    void shouldReportSystemMessageHistoryAndUserMessage() {
        String content = model.complete(CONVERSATION).content();

        assertThat(content).isEqualTo(LocalModel.LABEL + "\n"
                + "Your message: \"What is my name?\"\n"
                + "System message: \"Users name is John and age is 30\"\n"
                + "History (2 messages):\n"
                + "  user: \"Hello there\"\n"
                + "  assistant: \"Hi John\"");
    }

    @Test
    void shouldReportNoneWhenThereIsNoSystemMessageOrHistory() {
        String content = model.complete(List.of(ChatMessage.user("hi"))).content();

        assertThat(content).contains("Your message: \"hi\"")
                .contains("System message: (none)")
                .contains("History: (none)");
    }

    @Test
    void shouldStripLabelWhenQuotingEarlierLocalAnswer() {
        String earlier = model.complete(List.of(ChatMessage.user("first"))).content();

        String content = model.complete(List.of(ChatMessage.user("first"), ChatMessage.assistant(earlier),
                ChatMessage.user("second"))).content();

        // The label appears once, at the start of this answer, and never inside the quoted history.
        assertThat(content).startsWith(LocalModel.LABEL);
        assertThat(content.substring(LocalModel.LABEL.length())).doesNotContain(LocalModel.LABEL);
        assertThat(content).endsWith("History (2 messages):\n"
                + "  user: \"first\"\n"
                + "  assistant: \"Your message: \"first\" / System message: (none) / History: (none)\"");
    }

    @Test
    void shouldReportPositiveTokenCounts() {
        ModelReply reply = model.complete(CONVERSATION);

        assertThat(reply.inputTokens()).isPositive();
        assertThat(reply.outputTokens()).isPositive();
        // "Users name is John and age is 30" (8) + "Hello there" (2) + "Hi John" (2) + "What is my name?" (4)
        assertThat(reply.inputTokens()).isEqualTo(16);
    }

    @Test
    void shouldTruncateLongHistoryTurnsButNotTheUserMessage() {
        String longText = "x".repeat(200);

        String content = model.complete(List.of(ChatMessage.user(longText), ChatMessage.assistant("ok"),
                ChatMessage.user(longText))).content();

        assertThat(content).contains("Your message: \"" + longText + "\"");
        assertThat(content).contains("  user: \"" + "x".repeat(120) + "...\"");
    }

    private static final List<ToolSpec> STATE_TOOL = List.of(new ToolSpec("update_session_state", "",
            (com.fasterxml.jackson.databind.node.ObjectNode) io.sessionflow.json.Json.parse("{\"type\":\"object\"}")));

    @Test
    void shouldCallEachToolNamedOnAToolLineAtOnce() {
        ModelReply reply = model.complete(List.of(ChatMessage.user("""
                please
                /tool update_session_state {"session_state_updates": {"shopping_list": ["milk"]}}
                /tool lookup {"q": 1}""")), STATE_TOOL);

        assertThat(reply.toolCalls()).containsExactly(
                new ToolCall("local-call-1", "update_session_state", "{\"session_state_updates\": {\"shopping_list\": [\"milk\"]}}"),
                new ToolCall("local-call-2", "lookup", "{\"q\": 1}"));
    }

    @Test
    void shouldCallNoToolForAPlainMessage() {
        ModelReply reply = model.complete(List.of(ChatMessage.user("add milk to my list")), STATE_TOOL);

        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.content()).startsWith(LocalModel.LABEL);
    }

    @Test
    void shouldCallNoToolWhenOfferedNone() {
        assertThat(model.complete(List.of(ChatMessage.user("/tool lookup {}")), List.of()).toolCalls()).isEmpty();
    }

    @Test
    void shouldAnswerWithWhatEachToolReturnedOnceTheResultsAreIn() {
        ModelReply reply = model.complete(List.of(ChatMessage.user("/tool lookup {}"),
                ChatMessage.assistant("", List.of(new ToolCall("local-call-1", "lookup", "{}"))),
                ChatMessage.toolResult("local-call-1", "42 apples")), STATE_TOOL);

        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.content()).isEqualTo(LocalModel.LABEL + "\nTool results:\n  lookup returned \"42 apples\"");
    }

    @Test
    void shouldWriteNumberedStepsSplitFromTheRequestWhenAskedForSteps() {
        String answer = model.complete(List.of(ChatMessage.user(
                "Help me build the image, run the migrations, then switch the traffic. Give me the steps."))).content();

        assertThat(answer).startsWith(LocalModel.LABEL).contains(LocalPlan.HEADING).endsWith("""
                1. Build the image
                2. Run the migrations
                3. Switch the traffic""");
    }

    @Test
    void shouldWritePrepareDoCheckStepsForARequestOfOneClause() {
        String answer = model.complete(List.of(ChatMessage.user("Help me deploy a Python app to production. Give me the steps.")))
                .content();

        assertThat(answer).endsWith("""
                1. Prepare: deploy a Python app to production
                2. Do: deploy a Python app to production
                3. Check: deploy a Python app to production""");
    }

    @Test
    void shouldWriteNoStepsWhenNoneAreAskedFor() {
        assertThat(model.complete(List.of(ChatMessage.user("Done with step 1. What's next?"))).content())
                .doesNotContain(LocalPlan.HEADING).doesNotContainPattern("(?m)^\\d+\\. ");
    }
}
