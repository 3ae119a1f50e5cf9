package io.sessionflow.runworker.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.List;

/**
 * The blocks that carry a session's derived memory into the next run's system message. Both say
 * that the current conversation takes precedence: they are derived from earlier turns and may be
 * stale.
 */
public final class PromptBlocks {

    private PromptBlocks() {
    }

    public static String summary(SessionSummary summary) {
        return "Here is a brief summary of your previous interactions:\n\n"
                + "<summary_of_previous_interactions>\n" + summary.summary().strip() + "\n</summary_of_previous_interactions>\n\n"
                + "Note: this information is from previous interactions and may be outdated. "
                + "You should ALWAYS prefer information from this conversation over the past summary.";
    }

    public static String context(SessionContext context) {
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

    /**
     * The user's memories and profile, learnt in any of the user's sessions, in Agno's words: the
     * current conversation wins, since the memories may be outdated.
     */
    public static String userMemories(List<String> memories, ObjectNode profile) {
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
}
