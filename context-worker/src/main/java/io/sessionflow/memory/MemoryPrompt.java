package io.sessionflow.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.util.List;

/** The extraction prompt: the user's memories (with ids) and profile, then the new turns, answers included. */
final class MemoryPrompt {

    /** Recorded for reprocessing; change it whenever the prompt or the schema changes. */
    static final String VERSION = "memory-v1";

    /**
     * Strict structured output requires every field and no open maps: null means "unchanged", and the
     * profile's facts come as key/value pairs (a null value removes the fact).
     */
    static final ObjectNode SCHEMA = (ObjectNode) Json.parse("""
            {"type": "object",
             "properties": {
               "operations": {"type": "array", "items": {"type": "object",
                 "properties": {
                   "op": {"type": "string", "enum": ["add", "update", "delete"]},
                   "memory_id": {"type": ["string", "null"]},
                   "memory": {"type": ["string", "null"]},
                   "topics": {"type": "array", "items": {"type": "string"}},
                   "run_index": {"type": ["integer", "null"]}},
                 "required": ["op", "memory_id", "memory", "topics", "run_index"],
                 "additionalProperties": false}},
               "profile": {"type": ["object", "null"],
                 "properties": {
                   "name": {"type": ["string", "null"]},
                   "preferences": {"type": ["array", "null"], "items": {"type": "string"}},
                   "facts": {"type": ["array", "null"], "items": {"type": "object",
                     "properties": {"key": {"type": "string"}, "value": {"type": ["string", "null"]}},
                     "required": ["key", "value"], "additionalProperties": false}}},
                 "required": ["name", "preferences", "facts"],
                 "additionalProperties": false}},
             "required": ["operations", "profile"],
             "additionalProperties": false}""");

    private MemoryPrompt() {
    }

    static List<ChatMessage> build(List<UserMemory> existing, UserProfile profile, List<UserTurn> newTurns, boolean withProfile) {
        String instructions = """
                You maintain long-term memories about one user: short facts in the third person ("User likes pizza"),
                each with a few lower-case topics. Compare the new turns (the assistant's answers included) with the
                existing memories and answer with operations: "add" a new fact, "update" a memory (by memory_id) that
                the user corrected or refined, "delete" a memory (by memory_id) that no longer holds. Do not add a fact
                that is already there; say nothing about the assistant itself. run_index is the run a fact came from.
                """ + (withProfile ? """
                Also keep the user's profile: name, preferences (the whole new list) and facts (key/value pairs, a null
                value removes the fact); null for anything that does not change, or a null profile.
                """ : "Answer with a null profile.\n") + "Answer with JSON.";
        StringBuilder user = new StringBuilder("Existing memories:\n");
        ArrayNode memories = Json.MAPPER.createArrayNode();
        existing.forEach(m -> memories.addObject().put("memory_id", m.memoryId()).put("memory", m.memory())
                .set("topics", Json.MAPPER.valueToTree(m.topics())));
        user.append(memories.toPrettyString()).append("\n\n");
        if (withProfile) {
            user.append("Profile:\n").append(profile.profile().toPrettyString()).append("\n\n");
        }
        user.append("New turns:\n");
        for (UserTurn turn : newTurns) {
            user.append("<run index=\"").append(turn.runIndex()).append("\">\nUser: ").append(turn.userMessage())
                    .append("\nAssistant: ").append(turn.answer()).append("\n</run>\n");
        }
        return List.of(ChatMessage.system(instructions), ChatMessage.user(user.toString()));
    }
}
