package io.sessionflow.runworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PromptTest {

    /** The placeholders of instructions and messages. */
    @Nested
    class Placeholders {

        private static ObjectNode state(String text) {
            return Json.parseObject(text);
        }

        @Test
        void shouldReplacePlaceholderFromState() {
            String rendered = Prompt.render("Users name is {user_name}", state("{\"user_name\":\"John\"}"), "u1");

            assertThat(rendered).isEqualTo("Users name is John");
        }

        @Test
        void shouldRenderNumbersPlainly() {
            String rendered = Prompt.render("Users name is {user_name} and age is {age}",
                    state("{\"user_name\":\"John\",\"age\":30}"), "u1");

            assertThat(rendered).isEqualTo("Users name is John and age is 30");
        }

        @Test
        void shouldFallBackToUserIdForUserIdPlaceholder() {
            assertThat(Prompt.render("You are {user_id}.", state("{}"), "alice@example"))
                    .isEqualTo("You are alice@example.");
        }

        @Test
        void shouldFallBackToUserIdWhenStateIsNull() {
            assertThat(Prompt.render("You are {user_id}.", null, "alice")).isEqualTo("You are alice.");
        }

        @Test
        void shouldPreferStateKeyOverUserId() {
            assertThat(Prompt.render("You are {user_id}.", state("{\"user_id\":\"from-state\"}"), "from-run"))
                    .isEqualTo("You are from-state.");
        }

        @Test
        void shouldKeepUserIdPlaceholderWhenNoUserIdIsKnown() {
            assertThat(Prompt.render("You are {user_id}.", state("{}"), null)).isEqualTo("You are {user_id}.");
        }

        @Test
        void shouldKeepUnknownPlaceholdersVerbatim() {
            assertThat(Prompt.render("Hi {user_name}, your {unknown_key} is {age}", state("{\"user_name\":\"John\"}"), "u1"))
                    .isEqualTo("Hi John, your {unknown_key} is {age}");
        }

        @Test
        void shouldLeaveNonIdentifierBracesUntouched() {
            ObjectNode s = state("{\"not valid\":\"X\",\"1x\":\"Y\",\"a\":{\"b\":\"Z\"},\"a.b\":\"W\"}");

            String rendered = Prompt.render("{not valid} {1x} {a.b} {} { a } {{a}", s, "u1");

            assertThat(rendered).isEqualTo("{not valid} {1x} {a.b} {} { a } {{\"b\":\"Z\"}");
        }

        @Test
        void shouldInsertDollarAndBackslashLiterally() {
            ObjectNode s = state("{\"price\":\"$1 and $2\",\"path\":\"C:\\\\temp\\\\new\",\"group\":\"\\\\1 ${x}\"}");

            String rendered = Prompt.render("Price {price} at {path} with {group}", s, "u1");

            assertThat(rendered).isEqualTo("Price $1 and $2 at C:\\temp\\new with \\1 ${x}");
        }

        @Test
        void shouldRenderObjectAndArrayValuesAsJson() {
            ObjectNode s = state("{\"profile\":{\"name\":\"John\",\"age\":30},\"list\":[\"milk\",\"eggs\"]}");

            String rendered = Prompt.render("Profile: {profile}; list: {list}", s, "u1");

            assertThat(rendered).isEqualTo("Profile: {\"name\":\"John\",\"age\":30}; list: [\"milk\",\"eggs\"]");
        }

        @Test
        void shouldRenderBooleansAndDecimals() {
            assertThat(Prompt.render("{flag} {ratio}", state("{\"flag\":true,\"ratio\":1.5}"), "u1"))
                    .isEqualTo("true 1.5");
        }

        @Test
        void shouldReturnTemplateWithoutBracesUnchanged() {
            assertThat(Prompt.render("plain text", state("{\"plain\":\"x\"}"), "u1")).isEqualTo("plain text");
        }

        @Test
        void shouldNotRenderPlaceholdersInsideReplacedValues() {
            // A value that itself looks like a placeholder is inserted as text, not expanded again.
            assertThat(Prompt.render("{a}", state("{\"a\":\"{b}\",\"b\":\"nope\"}"), "u1")).isEqualTo("{b}");
        }
    }

    /** The blocks of what the session and the user remember. */
    @Nested
    class Blocks {

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

        private static Prompt.Flags flags(boolean state) {
            return new Prompt.Flags(false, 3, null, state);
        }

        @Test
        void shouldRenderSummaryBlockExactlyWithStrippedSummary() {
            String block = Prompt.summaryBlock(summary("  \n The user is John and likes Kafka.\n\n "));

            assertThat(block).isEqualTo("Here is a brief summary of your previous interactions:\n\n"
                    + "<summary_of_previous_interactions>\n"
                    + "The user is John and likes Kafka."
                    + "\n</summary_of_previous_interactions>\n\n"
                    + "Note: this information is from previous interactions and may be outdated. "
                    + "You should ALWAYS prefer information from this conversation over the past summary.");
        }

        @Test
        void shouldStartSummaryBlockWithIntroductionAndEndWithPreferenceNote() {
            String block = Prompt.summaryBlock(summary("Talked about trains."));

            assertThat(block)
                    .startsWith("Here is a brief summary of your previous interactions:\n\n<summary_of_previous_interactions>\n")
                    .contains("\nTalked about trains.\n</summary_of_previous_interactions>\n\n")
                    .endsWith("You should ALWAYS prefer information from this conversation over the past summary.");
        }

        @Test
        void shouldRenderEveryPartOfContextBlockInOrder() {
            String block = Prompt.contextBlock(context("  Planning a trip. ", " Visit Rome ", List.of("a", "b", "c"),
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
            String block = Prompt.contextBlock(context("Just chatting.", null, List.of(), List.of()));

            assertThat(block).isEqualTo("<session_context>\nSummary: Just chatting.\n</session_context>\n\n" + CONTEXT_NOTE);
            assertThat(block).doesNotContain("Goal:", "Plan:", "Completed:");
        }

        @Test
        void shouldOmitBlankSummaryAndBlankGoal() {
            String block = Prompt.contextBlock(context("   ", " ", List.of("x"), List.of()));

            assertThat(block).isEqualTo("<session_context>\nPlan:\n1. x\n</session_context>\n\n" + CONTEXT_NOTE);
        }

        @Test
        void shouldOmitNullSummaryAndRenderProgressWithoutPlan() {
            String block = Prompt.contextBlock(context(null, "Ship it", List.of(), List.of("wrote tests")));

            assertThat(block).isEqualTo("<session_context>\nGoal: Ship it\nCompleted:\n✓ wrote tests\n</session_context>\n\n"
                    + CONTEXT_NOTE);
        }

        @Test
        void shouldRenderEmptyContextAsOnlyTagsAndNote() {
            String block = Prompt.contextBlock(context(null, null, List.of(), List.of()));

            assertThat(block).isEqualTo("<session_context>\n</session_context>\n\n" + CONTEXT_NOTE);
        }

        @Test
        void shouldAppendMemoryBlockToInstructionsAfterTwoNewlines() {
            String block = Prompt.summaryBlock(summary("Earlier talk."));

            List<ChatMessage> messages = Prompt.build("Hello {user_name}", flags(false), STATE, "u1", List.of(), "hi",
                    List.of(block));

            assertThat(messages).containsExactly(ChatMessage.system("Hello John\n\n" + block), ChatMessage.user("hi"));
        }

        @Test
        void shouldAppendMemoryBlocksAfterSessionStateBlock() {
            String summaryBlock = Prompt.summaryBlock(summary("Earlier talk."));
            String contextBlock = Prompt.contextBlock(context("Now.", "Goal", List.of(), List.of()));

            List<ChatMessage> messages = Prompt.build("Hello {user_name}", flags(true), STATE, "u1", List.of(), "hi",
                    List.of(summaryBlock, contextBlock));

            assertThat(messages.get(0)).isEqualTo(ChatMessage.system("Hello John\n\n<session_state>\n" + PRETTY_STATE
                    + "\n</session_state>\n\n" + summaryBlock + "\n\n" + contextBlock));
        }

        @Test
        void shouldUseOnlyTheBlockAsSystemMessageWhenInstructionsAreEmpty() {
            String block = Prompt.contextBlock(context("Now.", null, List.of(), List.of()));

            List<ChatMessage> messages = Prompt.build("", flags(false), STATE, "u1", List.of(), "hi", List.of(block));

            assertThat(messages).containsExactly(ChatMessage.system(block), ChatMessage.user("hi"));
        }

        @Test
        void shouldLeaveSystemMessageUnchangedWithoutMemoryBlocks() {
            List<ChatMessage> withNone = Prompt.build("Hello {user_name}", flags(false), STATE, "u1", List.of(), "hi",
                    List.of());

            assertThat(withNone).containsExactly(ChatMessage.system("Hello John"), ChatMessage.user("hi"));
        }
    }

    /** The whole prompt, in Agno's order. */
    @Nested
    class Building {

        private static final ObjectNode STATE = Json.parseObject("{\"user_name\":\"John\",\"age\":30}");
        private static final String PRETTY_STATE = "{\n  \"user_name\" : \"John\",\n  \"age\" : 30\n}";

        private static final List<ChatMessage> HISTORY = List.of(
                ChatMessage.user("q1"), ChatMessage.assistant("a1"),
                ChatMessage.user("q2"), ChatMessage.assistant("a2"),
                ChatMessage.user("q3"), ChatMessage.assistant("a3"));

        private static Prompt.Flags flags(boolean history, int runs, Integer messages, boolean state) {
            return new Prompt.Flags(history, runs, messages, state);
        }

        private static ComponentDefinition agent(boolean addHistory, Integer numHistoryRuns, Integer numHistoryMessages, boolean addState) {
            return new ComponentDefinition(ComponentType.AGENT, "agent-1", "an agent", null, "Users name is {user_name}", null,
                    addState, addHistory, numHistoryRuns, numHistoryMessages, false, false, false, false, null);
        }

        @Test
        void shouldOrderSystemThenHistoryThenUser() {
            List<ChatMessage> messages = Prompt.build("Users name is {user_name} and age is {age}",
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
            List<ChatMessage> messages = Prompt.build("", flags(false, 3, null, false), STATE, "u1", List.of(),
                    "I am {user_name}, id {user_id}");

            assertThat(messages).containsExactly(ChatMessage.user("I am John, id u1"));
        }

        @Test
        void shouldAppendSessionStateBlockAfterTwoNewlinesWhenFlagIsOn() {
            List<ChatMessage> messages = Prompt.build("Hello {user_name}", flags(false, 3, null, true), STATE, "u1",
                    List.of(), "hi");

            assertThat(messages).hasSize(2);
            assertThat(messages.get(0)).isEqualTo(ChatMessage.system(
                    "Hello John\n\n<session_state>\n" + PRETTY_STATE + "\n</session_state>"));
        }

        @Test
        void shouldUseOnlySessionStateBlockWhenInstructionsAreEmpty() {
            List<ChatMessage> messages = Prompt.build("", flags(false, 3, null, true), STATE, "u1", List.of(), "hi");

            assertThat(messages.get(0)).isEqualTo(ChatMessage.system("<session_state>\n" + PRETTY_STATE + "\n</session_state>"));
        }

        @Test
        void shouldLeaveOutSessionStateBlockWhenFlagIsOff() {
            List<ChatMessage> messages = Prompt.build("Hello {user_name}", flags(false, 3, null, false), STATE, "u1",
                    List.of(), "hi");

            assertThat(messages.get(0)).isEqualTo(ChatMessage.system("Hello John"));
            assertThat(messages.get(0).content()).doesNotContain("<session_state>");
        }

        @Test
        void shouldSendNoSystemMessageWhenInstructionsEmptyAndStateFlagOff() {
            List<ChatMessage> messages = Prompt.build("", flags(true, 3, null, false), STATE, "u1",
                    List.of(ChatMessage.user("q1"), ChatMessage.assistant("a1")), "hi");

            assertThat(messages).containsExactly(ChatMessage.user("q1"), ChatMessage.assistant("a1"), ChatMessage.user("hi"));
            assertThat(messages).noneMatch(m -> m.role() == ChatMessage.Role.SYSTEM);
        }

        @Test
        void shouldLeaveOutHistoryWhenHistoryFlagIsOff() {
            List<ChatMessage> messages = Prompt.build("sys", flags(false, 3, null, false), STATE, "u1", HISTORY, "hi");

            assertThat(messages).containsExactly(ChatMessage.system("sys"), ChatMessage.user("hi"));
        }

        @Test
        void shouldNeverIncludeSystemMessagesFromHistory() {
            List<ChatMessage> history = List.of(ChatMessage.system("old system"), ChatMessage.user("q1"), ChatMessage.assistant("a1"));

            List<ChatMessage> messages = Prompt.build("sys", flags(true, 3, null, false), STATE, "u1", history, "hi");

            assertThat(messages).containsExactly(ChatMessage.system("sys"), ChatMessage.user("q1"), ChatMessage.assistant("a1"),
                    ChatMessage.user("hi"));
        }

        @Test
        void shouldTrimHistoryToLastNMessages() {
            List<ChatMessage> messages = Prompt.build("sys", flags(true, 3, 3, false), STATE, "u1", HISTORY, "hi");

            assertThat(messages).containsExactly(ChatMessage.system("sys"),
                    ChatMessage.assistant("a2"), ChatMessage.user("q3"), ChatMessage.assistant("a3"),
                    ChatMessage.user("hi"));
        }

        @Test
        void shouldKeepWholeHistoryWhenMessageLimitExceedsIt() {
            List<ChatMessage> messages = Prompt.build("", flags(true, 3, 100, false), STATE, "u1", HISTORY, "hi");

            assertThat(messages).hasSize(HISTORY.size() + 1);
            assertThat(messages.subList(0, HISTORY.size())).isEqualTo(HISTORY);
        }

        @Test
        void shouldSendNoHistoryWhenMessageLimitIsZero() {
            List<ChatMessage> messages = Prompt.build("", flags(true, 3, 0, false), STATE, "u1", HISTORY, "hi");

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
            Prompt.Flags flags = Prompt.Flags.of(agent(true, 7, 4, true), RunOverrides.NONE);

            assertThat(flags).isEqualTo(new Prompt.Flags(true, 7, 4, true));
        }

        @Test
        void shouldDefaultNumHistoryRunsToThreeFromComponent() {
            Prompt.Flags flags = Prompt.Flags.of(agent(true, null, null, false), RunOverrides.NONE);

            assertThat(flags).isEqualTo(new Prompt.Flags(true, 3, null, false));
            assertThat(flags.historyRunsToLoad()).isEqualTo(3);
        }

        @Test
        void shouldLetRunOverridesWinOverComponentFlags() {
            Prompt.Flags flags = Prompt.Flags.of(agent(false, 3, null, false), new RunOverrides(true, 9, 5, true));

            assertThat(flags).isEqualTo(new Prompt.Flags(true, 9, 5, true));
            assertThat(flags.historyRunsToLoad()).isEqualTo(3);
        }

        @Test
        void shouldLetOverridesTurnComponentFlagsOff() {
            Prompt.Flags flags = Prompt.Flags.of(agent(true, 3, 6, true), new RunOverrides(false, null, null, false));

            assertThat(flags).isEqualTo(new Prompt.Flags(false, 3, 6, false));
            assertThat(flags.historyRunsToLoad()).isZero();
        }

        @Test
        void shouldApplyOnlyTheOverridesThatAreSet() {
            Prompt.Flags flags = Prompt.Flags.of(agent(true, 3, null, true), new RunOverrides(null, 1, null, null));

            assertThat(flags).isEqualTo(new Prompt.Flags(true, 1, null, true));
        }

        @Test
        void shouldBuildContextFromOverriddenComponentFlags() {
            ComponentDefinition component = agent(false, 3, null, false);
            Prompt.Flags flags = Prompt.Flags.of(component, new RunOverrides(true, null, 2, true));

            List<ChatMessage> messages = Prompt.build(component.instructions(), flags, STATE, "u1", HISTORY, "hi");

            assertThat(messages).containsExactly(
                    ChatMessage.system("Users name is John\n\n<session_state>\n" + PRETTY_STATE + "\n</session_state>"),
                    ChatMessage.user("q3"), ChatMessage.assistant("a3"),
                    ChatMessage.user("hi"));
        }
    }
}
