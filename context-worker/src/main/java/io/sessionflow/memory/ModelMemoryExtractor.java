package io.sessionflow.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelOutputException;
import io.sessionflow.model.StructuredOutput;
import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Memory extraction by a language model's structured output (strict JSON schema, like summaries),
 * validated against the user's memories: an update or delete of an id that is not the user's, an add
 * without text, or a profile that breaks its schema is malformed output, retried, then skipped; the
 * stored memories stay as they are.
 */
final class ModelMemoryExtractor implements MemoryExtractor {

    private final ChatModel model;
    private final int attempts;

    ModelMemoryExtractor(ChatModel model, int attempts) {
        this.model = model;
        this.attempts = attempts;
    }

    @Override
    public Optional<MemoryDecision> extract(List<UserMemory> existing, UserProfile profile, List<UserTurn> newTurns, boolean withProfile) {
        UserTurn first = newTurns.get(0);
        String what = "memories of user " + existing.stream().findFirst().map(UserMemory::userId).orElse("?") + " from session "
                + first.sessionId() + " runs " + first.runIndex() + "-" + newTurns.get(newTurns.size() - 1).runIndex();
        Set<String> ids = existing.stream().map(UserMemory::memoryId).collect(Collectors.toSet());
        return StructuredOutput.request(model, MemoryPrompt.build(existing, profile, newTurns, withProfile), "user_memories",
                MemoryPrompt.SCHEMA, attempts, json -> parse(json, ids, profile, newTurns, withProfile), what);
    }

    private static MemoryDecision parse(JsonNode json, Set<String> ids, UserProfile profile, List<UserTurn> turns, boolean withProfile) {
        JsonNode operations = json.get("operations");
        if (operations == null || !operations.isArray()) {
            throw new ModelOutputException("'operations' must be an array");
        }
        List<MemoryOp> ops = new ArrayList<>();
        for (JsonNode op : operations) {
            String kind = StructuredOutput.text(op, "op");
            String memoryId = StructuredOutput.optionalText(op, "memory_id");
            UserTurn origin = originOf(op.get("run_index"), turns);
            List<String> topics = StructuredOutput.optionalStrings(op, "topics");
            try {
                switch (kind) {
                    case "add" -> ops.add(MemoryOp.add(StructuredOutput.text(op, "memory"), topics, origin.sessionId(), origin.runId()));
                    case "update" -> ops.add(MemoryOp.update(known(memoryId, ids), StructuredOutput.text(op, "memory"), topics,
                            origin.sessionId(), origin.runId()));
                    case "delete" -> ops.add(MemoryOp.delete(known(memoryId, ids)));
                    default -> throw new ModelOutputException("'op' must be add, update or delete, got '" + kind + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new ModelOutputException(e.getMessage());
            }
        }
        return new MemoryDecision(ops, withProfile ? profilePatch(json.get("profile"), profile) : null);
    }

    private static String known(String memoryId, Set<String> ids) {
        if (memoryId == null || !ids.contains(memoryId)) {
            throw new ModelOutputException("memory_id '" + memoryId + "' is not one of the user's memories");
        }
        return memoryId;
    }

    /** The run a fact came from; the batch's latest run when the model does not say or names another. */
    private static UserTurn originOf(JsonNode runIndex, List<UserTurn> turns) {
        if (runIndex != null && runIndex.canConvertToInt()) {
            for (UserTurn turn : turns) {
                if (turn.runIndex() == runIndex.asInt()) {
                    return turn;
                }
            }
        }
        return turns.get(turns.size() - 1);
    }

    private static ObjectNode profilePatch(JsonNode answer, UserProfile profile) {
        if (answer == null || answer.isNull()) {
            return null;
        }
        ObjectNode patch = Json.object();
        String name = StructuredOutput.optionalText(answer, "name");
        if (name != null && !name.isBlank()) {
            patch.put("name", name);
        }
        List<String> preferences = StructuredOutput.optionalStrings(answer, "preferences");
        if (preferences != null) {
            patch.set("preferences", Json.MAPPER.valueToTree(preferences));
        }
        JsonNode facts = answer.get("facts");
        if (facts != null && facts.isArray() && !facts.isEmpty()) {
            ObjectNode factPatch = patch.putObject("facts");
            for (JsonNode fact : facts) {
                String key = StructuredOutput.text(fact, "key");
                String value = StructuredOutput.optionalText(fact, "value");
                if (value == null) {
                    factPatch.putNull(key);
                } else {
                    factPatch.put(key, value);
                }
            }
        }
        try {
            UserProfile.merged(profile.profile(), patch); // refused here, as malformed output, rather than at apply time
        } catch (IllegalArgumentException e) {
            throw new ModelOutputException(e.getMessage());
        }
        return patch.isEmpty() ? null : patch;
    }
}
