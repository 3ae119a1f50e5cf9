package io.sessionflow.runworker.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what the model sees, in Agno's order: the system message (rendered instructions, then the
 * optional {@code <session_state>} block), the history (oldest first, system messages never
 * included), then the new user message.
 */
public final class PromptBuilder {

    private PromptBuilder() {
    }

    public static List<ChatMessage> build(String instructions, PromptFlags flags, ObjectNode state, String userId,
                                          List<ChatMessage> history, String message) {
        return build(instructions, flags, state, userId, history, message, List.of());
    }

    /**
     * @param history      the user and assistant messages of the latest completed top-level runs, oldest first
     * @param memoryBlocks the session's derived memory ({@link PromptBlocks}), appended to the system message
     */
    public static List<ChatMessage> build(String instructions, PromptFlags flags, ObjectNode state, String userId,
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
        messages.add(ChatMessage.user(Placeholders.render(message, state, userId)));
        return messages;
    }

    static String systemMessage(String instructions, PromptFlags flags, ObjectNode state, String userId) {
        StringBuilder system = new StringBuilder(Placeholders.render(instructions, state, userId));
        if (flags.addSessionStateToContext()) {
            if (!system.isEmpty()) {
                system.append("\n\n");
            }
            system.append("<session_state>\n").append(state.toPrettyString()).append("\n</session_state>");
        }
        return system.toString();
    }

    private static List<ChatMessage> window(List<ChatMessage> history, PromptFlags flags) {
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
}
