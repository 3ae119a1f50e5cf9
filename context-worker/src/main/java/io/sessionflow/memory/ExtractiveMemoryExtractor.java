package io.sessionflow.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import io.sessionflow.store.memory.UserTurn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local model's memory extraction: a fixed set of sentence patterns in the user's own messages,
 * nothing more. It understands nothing: "I love pizza" becomes "User loves pizza", "my name is Mark" and
 * "call me Mark" become "User's name is Mark" (and the profile's name), "I live in X" a location,
 * "I prefer X" a preference; "I don't like X anymore" or "I no longer like X" delete the matching
 * memory. A statement said again refreshes its memory rather than adding one; a new name or place
 * replaces the old one. The assistant's answers are not read: the local model's answers repeat the
 * user, and a pattern would take the echo for a second statement.
 */
final class ExtractiveMemoryExtractor implements MemoryExtractor {

    private static final Pattern CLAUSES = Pattern.compile("[.!?;\\n]+|,?\\s+(?:and|but)\\s+(?=(?:i|my|call)\\b)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\b(?:my name is|call me)\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNLIKE = Pattern.compile(
            "\\bI\\s+(?:no longer|don'?t|do not)\\s+(?:like|love|enjoy)\\s+(.+?)(?:\\s+any\\s?more)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIKE = Pattern.compile("\\bI\\s+(?:really\\s+)?(love|like|enjoy|adore)\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PREFER = Pattern.compile("\\bI\\s+prefer\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIVE = Pattern.compile("\\bI\\s+live\\s+in\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final String NAME_PREFIX = "User's name is ";
    private static final String LIVES_PREFIX = "User lives in ";

    @Override
    public Optional<MemoryDecision> extract(List<UserMemory> existing, UserProfile profile, List<UserTurn> newTurns, boolean withProfile) {
        // The memories as they will be after this batch, by lower-cased text: later statements see earlier ones.
        Map<String, Known> known = new LinkedHashMap<>();
        existing.forEach(m -> known.put(key(m.memory()), new Known(m.memoryId(), m.memory())));
        List<MemoryOp> ops = new ArrayList<>();
        ObjectNode patch = Json.object();
        List<String> preferences = new ArrayList<>();
        if (profile.profile().get("preferences") instanceof ArrayNode stored) {
            stored.forEach(p -> preferences.add(p.asText()));
        }
        boolean preferencesChanged = false;
        for (UserTurn turn : newTurns) {
            if (turn.userMessage() == null) {
                continue;
            }
            for (String clause : CLAUSES.split(turn.userMessage())) {
                clause = clause.strip();
                Matcher m;
                if ((m = NAME.matcher(clause)).find()) {
                    String name = object(m.group(1));
                    replaceOrAdd(known, ops, NAME_PREFIX, NAME_PREFIX + name, List.of("name"), turn);
                    patch.put("name", name);
                } else if ((m = UNLIKE.matcher(clause)).find()) {
                    String thing = object(m.group(1));
                    for (String verb : List.of("loves ", "likes ", "enjoys ", "adores ", "prefers ")) {
                        Known gone = known.remove(key("User " + verb + thing));
                        if (gone != null && gone.memoryId() != null) {
                            ops.add(MemoryOp.delete(gone.memoryId()));
                        } else if (gone != null) {
                            ops.removeIf(op -> op.kind() == MemoryOp.Kind.ADD && key(op.memory()).equals(key(gone.memory())));
                        }
                    }
                    preferencesChanged |= preferences.removeIf(p -> p.equalsIgnoreCase(thing));
                } else if ((m = LIKE.matcher(clause)).find()) {
                    String thing = object(m.group(2));
                    addOrRefresh(known, ops, "User " + m.group(1).toLowerCase(Locale.ROOT) + "s " + thing, List.of("preferences"), turn);
                    preferencesChanged |= addPreference(preferences, thing);
                } else if ((m = PREFER.matcher(clause)).find()) {
                    String thing = object(m.group(1));
                    addOrRefresh(known, ops, "User prefers " + thing, List.of("preferences"), turn);
                    preferencesChanged |= addPreference(preferences, thing);
                } else if ((m = LIVE.matcher(clause)).find()) {
                    String place = object(m.group(1));
                    replaceOrAdd(known, ops, LIVES_PREFIX, LIVES_PREFIX + place, List.of("location"), turn);
                    patch.putObject("facts").put("location", place);
                }
            }
        }
        if (preferencesChanged) {
            ArrayNode list = patch.putArray("preferences");
            preferences.forEach(list::add);
        }
        return Optional.of(new MemoryDecision(ops, withProfile && !patch.isEmpty() ? patch : null));
    }

    private record Known(String memoryId, String memory) {
    }

    private static String key(String memory) {
        return memory.strip().toLowerCase(Locale.ROOT);
    }

    /** What a pattern captured, without trailing punctuation or quotes. */
    private static String object(String captured) {
        return captured.strip().replaceAll("[\\s\"'.,!?]+$", "");
    }

    private static boolean addPreference(List<String> preferences, String thing) {
        if (preferences.stream().anyMatch(p -> p.equalsIgnoreCase(thing))) {
            return false;
        }
        preferences.add(thing);
        return true;
    }

    /** A known statement said again is refreshed (an update of its timestamp and origin); a new one is added. */
    private static void addOrRefresh(Map<String, Known> known, List<MemoryOp> ops, String memory, List<String> topics, UserTurn turn) {
        Known same = known.get(key(memory));
        if (same == null) {
            ops.add(MemoryOp.add(memory, topics, turn.sessionId(), turn.runId()));
            known.put(key(memory), new Known(null, memory));
        } else if (same.memoryId() != null) {
            ops.add(MemoryOp.update(same.memoryId(), same.memory(), topics, turn.sessionId(), turn.runId()));
        }
    }

    /** A single-valued fact (name, place): a memory with the same prefix and another value is replaced. */
    private static void replaceOrAdd(Map<String, Known> known, List<MemoryOp> ops, String prefix, String memory, List<String> topics,
                                     UserTurn turn) {
        String lowerPrefix = key(prefix);
        Optional<Map.Entry<String, Known>> previous = known.entrySet().stream()
                .filter(e -> e.getKey().startsWith(lowerPrefix) && e.getValue().memoryId() != null).findFirst();
        if (previous.isPresent() && !previous.get().getKey().equals(key(memory))) {
            Known old = previous.get().getValue();
            known.remove(previous.get().getKey());
            ops.add(MemoryOp.update(old.memoryId(), memory, topics, turn.sessionId(), turn.runId()));
            known.put(key(memory), new Known(old.memoryId(), memory));
            return;
        }
        addOrRefresh(known, ops, memory, topics, turn);
    }
}
