package io.sessionflow.summarizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.List;

/** The incremental summary prompt: the previous summary plus only the runs after it. */
final class SummaryPrompt {

    /** Recorded with every summary; change it whenever the prompt or schema changes. */
    static final String VERSION = "summary-v1";

    static final ObjectNode SCHEMA = (ObjectNode) Json.parse("""
            {"type": "object",
             "properties": {
               "summary": {"type": "string", "description": "the updated summary of the whole conversation"},
               "topics": {"type": "array", "items": {"type": "string"}, "description": "short topics of the conversation"}},
             "required": ["summary", "topics"],
             "additionalProperties": false}""");

    private static final String INSTRUCTIONS = """
            You keep a running summary of a conversation between a user and an assistant.
            Update the previous summary with the new exchanges: keep what still matters (facts about the user,
            decisions, open questions), add what is new, drop what was superseded. Stay under 200 words.
            Answer with JSON: "summary" (the updated summary) and "topics" (a few short topics).""";

    private SummaryPrompt() {
    }

    static List<ChatMessage> build(SessionSummary previous, List<RunTurns> newRuns) {
        StringBuilder user = new StringBuilder();
        if (previous == null) {
            user.append("There is no previous summary: this is the start of the conversation.\n\n");
        } else {
            user.append("Previous summary (covers runs 1 to ").append(previous.upToRunIndex()).append("):\n<previous_summary>\n")
                    .append(previous.summary()).append("\n</previous_summary>\n\n");
        }
        user.append("New exchanges:\n");
        for (RunTurns run : newRuns) {
            user.append("<run index=\"").append(run.runIndex()).append("\">\nUser: ").append(run.userMessage())
                    .append("\nAssistant: ").append(run.answer()).append("\n</run>\n");
        }
        return List.of(ChatMessage.system(INSTRUCTIONS), ChatMessage.user(user.toString()));
    }
}
