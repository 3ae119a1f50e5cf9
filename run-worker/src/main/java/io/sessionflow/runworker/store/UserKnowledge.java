package io.sessionflow.runworker.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run of a memory-enabled component is shown of its user, whatever the session: the user's
 * most recently updated memories (at most the component's {@code memory_limit}) and profile. Read for
 * a whole batch of run starts in one statement, inside the start transaction.
 */
public record UserKnowledge(List<String> memories, Optional<ObjectNode> profile) {

    public static final UserKnowledge NONE = new UserKnowledge(List.of(), Optional.empty());

    public UserKnowledge {
        memories = List.copyOf(memories);
    }

    public boolean isEmpty() {
        return memories.isEmpty() && profile.map(p -> p.isEmpty()).orElse(true);
    }

    /** What to read of one user: at most {@code memoryLimit} memories. */
    public record Wanted(String userId, int memoryLimit) {
    }

    /**
     * The knowledge of many users in one round trip, by user id. A user asked for twice (two sessions
     * in one batch) is read once, with the larger limit; each run then keeps its own component's limit.
     */
    public static Map<String, UserKnowledge> loadAll(Connection connection, List<Wanted> wanted) throws SQLException {
        Map<String, Integer> limits = new LinkedHashMap<>();
        wanted.forEach(w -> limits.merge(w.userId(), w.memoryLimit(), Math::max));
        Map<String, UserKnowledge> known = new HashMap<>();
        if (limits.isEmpty()) {
            return known;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT w.user_id, p.profile::text,
                       (SELECT jsonb_agg(m.memory ORDER BY m.updated_at DESC, m.memory_id)
                          FROM (SELECT memory, updated_at, memory_id FROM user_memories
                                 WHERE user_id = w.user_id ORDER BY updated_at DESC, memory_id LIMIT w.memory_limit) m)
                  FROM unnest(CAST(? AS text[]), CAST(? AS int[])) AS w(user_id, memory_limit)
                  LEFT JOIN user_profiles p ON p.user_id = w.user_id""")) {
            select.setArray(1, connection.createArrayOf("text", limits.keySet().toArray()));
            select.setArray(2, connection.createArrayOf("int4", limits.values().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    List<String> memories = new ArrayList<>();
                    String texts = rs.getString(3);
                    if (texts != null) {
                        for (JsonNode text : Json.parse(texts)) {
                            memories.add(text.asText());
                        }
                    }
                    Optional<ObjectNode> profile = rs.getString(2) == null ? Optional.empty() : Optional.of(Json.parseObject(rs.getString(2)));
                    known.put(rs.getString(1), new UserKnowledge(memories, profile));
                }
            }
        }
        return known;
    }

    /** This knowledge cut to a run's own limit (the batch read the largest limit asked for the user). */
    public UserKnowledge limitedTo(int memoryLimit) {
        return memories.size() <= memoryLimit ? this : new UserKnowledge(memories.subList(0, memoryLimit), profile);
    }
}
