package io.sessionflow.runworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the model sees, in Agno's order: the system message (rendered instructions, the optional
 * {@code <session_state>} block, then the blocks of what the session and the user remember), the
 * history (oldest first, system messages never included), then the new user message.
 */
public final class Prompt {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Prompt() {
    }

    /** What a component puts in the prompt, after a run's overrides are applied. */
    public record Flags(boolean addHistoryToContext, int numHistoryRuns, Integer numHistoryMessages, boolean addSessionStateToContext) {

        public static Flags of(ComponentDefinition component, RunOverrides overrides) {
            return new Flags(
                    overrides.addHistoryToContext() != null ? overrides.addHistoryToContext() : component.addHistoryToContext(),
                    overrides.numHistoryRuns() != null ? overrides.numHistoryRuns() : component.numHistoryRuns(),
                    overrides.numHistoryMessages() != null ? overrides.numHistoryMessages() : component.numHistoryMessages(),
                    overrides.addSessionStateToContext() != null ? overrides.addSessionStateToContext() : component.addSessionStateToContext());
        }

        /**
         * How many of the latest completed runs to read. Each completed run holds one user and one
         * assistant message, so a message budget needs half as many runs, rounded up.
         */
        public int historyRunsToLoad() {
            if (!addHistoryToContext) {
                return 0;
            }
            return numHistoryMessages != null ? (numHistoryMessages + 1) / 2 : numHistoryRuns;
        }
    }

    public static List<ChatMessage> build(String instructions, Flags flags, ObjectNode state, String userId,
                                          List<ChatMessage> history, String message) {
        return build(instructions, flags, state, userId, history, message, List.of());
    }

    /**
     * @param history      the user and assistant messages of the latest completed top-level runs, oldest first
     * @param memoryBlocks what the session and the user remember ({@link #summaryBlock}, {@link #contextBlock},
     *                     {@link #userMemoriesBlock}), appended to the system message
     */
    public static List<ChatMessage> build(String instructions, Flags flags, ObjectNode state, String userId,
                                          List<ChatMessage> history, String message, List<String> memoryBlocks) {
        List<ChatMessage> messages = new ArrayList<>();
        StringBuilder systemText = new StringBuilder(systemMessage(instructions, flags, state, userId));
        for (String block : memoryBlocks) {
            if (!systemText.isEmpty()) {
                systemText.append("\n\n");
            }
            systemText.append(block);
        }
        String system = systemText.toString();
        if (!system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        if (flags.addHistoryToContext()) {
            messages.addAll(window(history, flags));
        }
        messages.add(ChatMessage.user(render(message, state, userId)));
        return messages;
    }

    static String systemMessage(String instructions, Flags flags, ObjectNode state, String userId) {
        StringBuilder system = new StringBuilder(render(instructions, state, userId));
        if (flags.addSessionStateToContext()) {
            if (!system.isEmpty()) {
                system.append("\n\n");
            }
            system.append("<session_state>\n").append(state.toPrettyString()).append("\n</session_state>");
        }
        return system.toString();
    }

    private static List<ChatMessage> window(List<ChatMessage> history, Flags flags) {
        List<ChatMessage> turns = history.stream().filter(m -> m.role() != ChatMessage.Role.SYSTEM).toList();
        Integer limit = flags.numHistoryMessages();
        if (limit != null && turns.size() > limit) {
            List<ChatMessage> window = turns.subList(turns.size() - limit, turns.size());
            // A tool result cut from the assistant turn that asked for it is refused by providers: the window starts after it.
            int first = 0;
            while (first < window.size() && window.get(first).role() == ChatMessage.Role.TOOL) {
                first++;
            }
            return window.subList(first, window.size());
        }
        return turns;
    }

    // The blocks below carry what was derived from earlier turns into the system message. Each says
    // that the current conversation takes precedence: what was derived may be stale.

    public static String summaryBlock(SessionSummary summary) {
        return "Here is a brief summary of your previous interactions:\n\n"
                + "<summary_of_previous_interactions>\n" + summary.summary().strip() + "\n</summary_of_previous_interactions>\n\n"
                + "Note: this information is from previous interactions and may be outdated. "
                + "You should ALWAYS prefer information from this conversation over the past summary.";
    }

    public static String contextBlock(SessionContext context) {
        StringBuilder block = new StringBuilder("<session_context>\n");
        if (context.summary() != null && !context.summary().isBlank()) {
            block.append("Summary: ").append(context.summary().strip()).append('\n');
        }
        if (context.goal() != null && !context.goal().isBlank()) {
            block.append("Goal: ").append(context.goal().strip()).append('\n');
        }
        if (!context.plan().isEmpty()) {
            block.append("Plan:\n");
            for (int i = 0; i < context.plan().size(); i++) {
                block.append(i + 1).append(". ").append(context.plan().get(i)).append('\n');
            }
        }
        if (!context.progress().isEmpty()) {
            block.append("Completed:\n");
            context.progress().forEach(step -> block.append("✓ ").append(step).append('\n'));
        }
        return block.append("</session_context>\n\n")
                .append("Note: this context was built from earlier turns of this session. ")
                .append("If the current messages contradict it, the current messages win.")
                .toString();
    }

    /** The user's memories and profile, learnt in any of the user's sessions, in Agno's words. */
    public static String userMemoriesBlock(List<String> memories, ObjectNode profile) {
        StringBuilder block = new StringBuilder(
                "You have access to memories from previous interactions with the user that you can use:\n\n");
        if (!memories.isEmpty()) {
            block.append("<memories_from_previous_interactions>\n");
            memories.forEach(memory -> block.append("- ").append(memory.strip()).append('\n'));
            block.append("</memories_from_previous_interactions>\n\n");
        }
        if (profile != null && !profile.isEmpty()) {
            block.append("<user_profile>\n").append(profile.toPrettyString()).append("\n</user_profile>\n\n");
        }
        return block.append("Note: this information is from previous interactions and may be updated in this conversation. ")
                .append("You should always prefer information from this conversation over the past memories.")
                .toString();
    }

    /**
     * Replaces {@code {key}} with the session state's value, then with {@code user_id}. Unknown
     * placeholders stay exactly as written, and nothing is evaluated: only plain identifiers match.
     */
    public static String render(String template, ObjectNode state, String userId) {
        if (template == null || template.indexOf('{') < 0) {
            return template;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (matcher.find()) {
            String value = placeholderValue(matcher.group(1), state, userId);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String placeholderValue(String key, ObjectNode state, String userId) {
        JsonNode value = state == null ? null : state.get(key);
        if (value != null && !value.isMissingNode()) {
            return value.isValueNode() ? value.asText() : value.toString();
        }
        if ("user_id".equals(key)) {
            return userId;
        }
        return null;
    }
}
