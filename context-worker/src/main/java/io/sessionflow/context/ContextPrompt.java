package io.sessionflow.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.run.RunTurns;
import io.sessionflow.store.snapshot.SessionContext;
import java.util.List;

/** The snapshot-update prompt: the previous snapshot plus the new turns, the assistant's answers included. */
final class ContextPrompt {

    /** Recorded with every snapshot; change it whenever the prompt or schemas change. */
    static final String VERSION = "context-v1";

    static final ObjectNode SUMMARY_SCHEMA = (ObjectNode) Json.parse("""
            {"type": "object",
             "properties": {"summary": {"type": "string"}},
             "required": ["summary"],
             "additionalProperties": false}""");

    /** Strict schemas require every field; null is how the model says "keep the old value". */
    static final ObjectNode PLANNING_SCHEMA = (ObjectNode) Json.parse("""
            {"type": "object",
             "properties": {
               "summary": {"type": "string"},
               "goal": {"type": ["string", "null"]},
               "plan": {"type": ["array", "null"], "items": {"type": "string"}},
               "progress": {"type": ["array", "null"], "items": {"type": "string"}}},
             "required": ["summary", "goal", "plan", "progress"],
             "additionalProperties": false}""");

    private ContextPrompt() {
    }

    static List<ChatMessage> build(SessionContext previous, List<RunTurns> newRuns, boolean planning) {
        String instructions = planning ? """
                You maintain the working context of a session between a user and an assistant: a short summary,
                the user's goal, the plan (ordered steps) and the progress (steps completed).
                Update the previous context with the new turns, including what the assistant answered.
                Return null for goal, plan or progress when they do not change. Answer with JSON."""
                : """
                You maintain the working context of a session between a user and an assistant: a short summary
                of what the session is about and where it stands. Update the previous summary with the new turns,
                including what the assistant answered. Answer with JSON: "summary".""";
        StringBuilder user = new StringBuilder();
        if (previous == null) {
            user.append("There is no previous context.\n\n");
        } else {
            ObjectNode snapshot = Json.object().put("summary", previous.summary());
            if (planning) {
                snapshot.put("goal", previous.goal());
                snapshot.set("plan", Json.MAPPER.valueToTree(previous.plan()));
                snapshot.set("progress", Json.MAPPER.valueToTree(previous.progress()));
            }
            user.append("Previous context (covers runs 1 to ").append(previous.upToRunIndex()).append("):\n")
                    .append(snapshot.toPrettyString()).append("\n\n");
        }
        user.append("New turns:\n");
        for (RunTurns run : newRuns) {
            user.append("<run index=\"").append(run.runIndex()).append("\">\nUser: ").append(run.userMessage())
                    .append("\nAssistant: ").append(run.answer()).append("\n</run>\n");
        }
        return List.of(ChatMessage.system(instructions), ChatMessage.user(user.toString()));
    }
}
