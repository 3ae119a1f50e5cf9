package io.sessionflow.runworker.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

    private static final ObjectNode STATE = Json.parseObject("{\"user_name\":\"John\",\"age\":30}");
    private static final String PRETTY_STATE = "{\n  \"user_name\" : \"John\",\n  \"age\" : 30\n}";

    private static final List<ChatMessage> HISTORY = List.of(
            ChatMessage.user("q1"), ChatMessage.assistant("a1"),
            ChatMessage.user("q2"), ChatMessage.assistant("a2"),
            ChatMessage.user("q3"), ChatMessage.assistant("a3"));

    private static PromptFlags flags(boolean history, int runs, Integer messages, boolean state) {
        return new PromptFlags(history, runs, messages, state);
    }

    private static ComponentDefinition agent(boolean addHistory, Integer numHistoryRuns, Integer numHistoryMessages, boolean addState) {
        return new ComponentDefinition(ComponentType.AGENT, "agent-1", "an agent", null, "Users name is {user_name}", null,
                addState, addHistory, numHistoryRuns, numHistoryMessages, false, false, false, false, null);
    }

    @Test
    void shouldOrderSystemThenHistoryThenUser() {
        List<ChatMessage> messages = PromptBuilder.build("Users name is {user_name} and age is {age}",
                flags(true, 3, null, false), STATE, "u1", HISTORY, "What is my name?");

        assertThat(messages).containsExactly(
                ChatMessage.system("Users name is John and age is 30"),
                ChatMessage.user("q1"), ChatMessage.assistant("a1"),
                ChatMessage.user("q2"), ChatMessage.assistant("a2"),
                ChatMessage.user("q3"), ChatMessage.assistant("a3"),
                ChatMessage.user("What is my name?"));
    }

    @Test
    void shouldRenderPlaceholdersInTheUserMessage() {
        List<ChatMessage> messages = PromptBuilder.build("", flags(false, 3, null, false), STATE, "u1", List.of(),
                "I am {user_name}, id {user_id}");

        assertThat(messages).containsExactly(ChatMessage.user("I am John, id u1"));
    }

    @Test
    void shouldAppendSessionStateBlockAfterTwoNewlinesWhenFlagIsOn() {
        List<ChatMessage> messages = PromptBuilder.build("Hello {user_name}", flags(false, 3, null, true), STATE, "u1",
                List.of(), "hi");

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo(ChatMessage.system(
                "Hello John\n\n<session_state>\n" + PRETTY_STATE + "\n</session_state>"));
    }

    @Test
    void shouldUseOnlySessionStateBlockWhenInstructionsAreEmpty() {
        List<ChatMessage> messages = PromptBuilder.build("", flags(false, 3, null, true), STATE, "u1", List.of(), "hi");

        assertThat(messages.get(0)).isEqualTo(ChatMessage.system("<session_state>\n" + PRETTY_STATE + "\n</session_state>"));
    }

    @Test
    void shouldLeaveOutSessionStateBlockWhenFlagIsOff() {
        List<ChatMessage> messages = PromptBuilder.build("Hello {user_name}", flags(false, 3, null, false), STATE, "u1",
                List.of(), "hi");

        assertThat(messages.get(0)).isEqualTo(ChatMessage.system("Hello John"));
        assertThat(messages.get(0).content()).doesNotContain("<session_state>");
    }

    @Test
    void shouldSendNoSystemMessageWhenInstructionsEmptyAndStateFlagOff() {
        List<ChatMessage> messages = PromptBuilder.build("", flags(true, 3, null, false), STATE, "u1",
                List.of(ChatMessage.user("q1"), ChatMessage.assistant("a1")), "hi");

        assertThat(messages).containsExactly(ChatMessage.user("q1"), ChatMessage.assistant("a1"), ChatMessage.user("hi"));
        assertThat(messages).noneMatch(m -> m.role() == ChatMessage.Role.SYSTEM);
    }

    @Test
    void shouldLeaveOutHistoryWhenHistoryFlagIsOff() {
        List<ChatMessage> messages = PromptBuilder.build("sys", flags(false, 3, null, false), STATE, "u1", HISTORY, "hi");

        assertThat(messages).containsExactly(ChatMessage.system("sys"), ChatMessage.user("hi"));
    }

    @Test
    void shouldNeverIncludeSystemMessagesFromHistory() {
        List<ChatMessage> history = List.of(ChatMessage.system("old system"), ChatMessage.user("q1"), ChatMessage.assistant("a1"));

        List<ChatMessage> messages = PromptBuilder.build("sys", flags(true, 3, null, false), STATE, "u1", history, "hi");

        assertThat(messages).containsExactly(ChatMessage.system("sys"), ChatMessage.user("q1"), ChatMessage.assistant("a1"),
                ChatMessage.user("hi"));
    }

    @Test
    void shouldTrimHistoryToLastNMessages() {
        List<ChatMessage> messages = PromptBuilder.build("sys", flags(true, 3, 3, false), STATE, "u1", HISTORY, "hi");

        assertThat(messages).containsExactly(ChatMessage.system("sys"),
                ChatMessage.assistant("a2"), ChatMessage.user("q3"), ChatMessage.assistant("a3"),
                ChatMessage.user("hi"));
    }

    @Test
    void shouldKeepWholeHistoryWhenMessageLimitExceedsIt() {
        List<ChatMessage> messages = PromptBuilder.build("", flags(true, 3, 100, false), STATE, "u1", HISTORY, "hi");

        assertThat(messages).hasSize(HISTORY.size() + 1);
        assertThat(messages.subList(0, HISTORY.size())).isEqualTo(HISTORY);
    }

    @Test
    void shouldSendNoHistoryWhenMessageLimitIsZero() {
        List<ChatMessage> messages = PromptBuilder.build("", flags(true, 3, 0, false), STATE, "u1", HISTORY, "hi");

        assertThat(messages).containsExactly(ChatMessage.user("hi"));
    }

    @Test
    void shouldLoadNoHistoryRunsWhenHistoryIsOff() {
        assertThat(flags(false, 5, null, false).historyRunsToLoad()).isZero();
        assertThat(flags(false, 5, 10, false).historyRunsToLoad()).isZero();
    }

    @Test
    void shouldLoadNumHistoryRunsWhenNoMessageLimitIsSet() {
        assertThat(flags(true, 5, null, false).historyRunsToLoad()).isEqualTo(5);
        assertThat(flags(true, 0, null, false).historyRunsToLoad()).isZero();
    }

    @Test
    void shouldLoadHalfTheMessageLimitRoundedUpWhenSet() {
        assertThat(flags(true, 5, 0, false).historyRunsToLoad()).isZero();
        assertThat(flags(true, 5, 1, false).historyRunsToLoad()).isEqualTo(1);
        assertThat(flags(true, 5, 2, false).historyRunsToLoad()).isEqualTo(1);
        assertThat(flags(true, 5, 3, false).historyRunsToLoad()).isEqualTo(2);
        assertThat(flags(true, 5, 4, false).historyRunsToLoad()).isEqualTo(2);
        assertThat(flags(true, 1, 7, false).historyRunsToLoad()).isEqualTo(4);
    }

    @Test
    void shouldTakeComponentFlagsWhenNoOverrides() {
        PromptFlags flags = PromptFlags.of(agent(true, 7, 4, true), RunOverrides.NONE);

        assertThat(flags).isEqualTo(new PromptFlags(true, 7, 4, true));
    }

    @Test
    void shouldDefaultNumHistoryRunsToThreeFromComponent() {
        PromptFlags flags = PromptFlags.of(agent(true, null, null, false), RunOverrides.NONE);

        assertThat(flags).isEqualTo(new PromptFlags(true, 3, null, false));
        assertThat(flags.historyRunsToLoad()).isEqualTo(3);
    }

    @Test
    void shouldLetRunOverridesWinOverComponentFlags() {
        PromptFlags flags = PromptFlags.of(agent(false, 3, null, false), new RunOverrides(true, 9, 5, true));

        assertThat(flags).isEqualTo(new PromptFlags(true, 9, 5, true));
        assertThat(flags.historyRunsToLoad()).isEqualTo(3);
    }

    @Test
    void shouldLetOverridesTurnComponentFlagsOff() {
        PromptFlags flags = PromptFlags.of(agent(true, 3, 6, true), new RunOverrides(false, null, null, false));

        assertThat(flags).isEqualTo(new PromptFlags(false, 3, 6, false));
        assertThat(flags.historyRunsToLoad()).isZero();
    }

    @Test
    void shouldApplyOnlyTheOverridesThatAreSet() {
        PromptFlags flags = PromptFlags.of(agent(true, 3, null, true), new RunOverrides(null, 1, null, null));

        assertThat(flags).isEqualTo(new PromptFlags(true, 1, null, true));
    }

    @Test
    void shouldBuildContextFromOverriddenComponentFlags() {
        ComponentDefinition component = agent(false, 3, null, false);
        PromptFlags flags = PromptFlags.of(component, new RunOverrides(true, null, 2, true));

        List<ChatMessage> messages = PromptBuilder.build(component.instructions(), flags, STATE, "u1", HISTORY, "hi");

        assertThat(messages).containsExactly(
                ChatMessage.system("Users name is John\n\n<session_state>\n" + PRETTY_STATE + "\n</session_state>"),
                ChatMessage.user("q3"), ChatMessage.assistant("a3"),
                ChatMessage.user("hi"));
    }
}
