package io.sessionflow.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A user's structured profile: {@code {"name": string|null, "preferences": [string], "facts": {key: string}}}.
 * Three fields on purpose: the name is what every assistant greets with and Agno's profile has first;
 * preferences are a list because people have several and drop some; facts are a small open map
 * ({@code location}, {@code occupation}, ...) whose stable keys let an update replace one fact instead of
 * piling up contradicting sentences. Anything longer-lived and free-form is a memory, not a profile field.
 * Changes are JSON merge patches (RFC 7386): a field set to null is removed, objects merge by key, arrays
 * are replaced whole.
 */
public record UserProfile(String userId, ObjectNode profile, long version, Instant updatedAt) {

    private static final Set<String> FIELDS = Set.of("name", "preferences", "facts");

    public UserProfile {
        Objects.requireNonNull(userId, "null user_id");
        profile = validated(profile == null ? Json.object() : profile.deepCopy());
    }

    @Override
    public ObjectNode profile() {
        return profile.deepCopy();
    }

    public static UserProfile empty(String userId) {
        return new UserProfile(userId, Json.object(), 0, null);
    }

    /** The profile after a merge patch; throws {@link IllegalArgumentException} if the result breaks the schema. */
    public static ObjectNode merged(ObjectNode current, ObjectNode patch) {
        ObjectNode result = current == null ? Json.object() : current.deepCopy();
        mergeInto(result, patch);
        return validated(result);
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode existing) {
                mergeInto(existing, (ObjectNode) value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    private static ObjectNode validated(ObjectNode profile) {
        profile.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("a profile has only name, preferences and facts; got '" + name + "'");
            }
        });
        JsonNode name = profile.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new IllegalArgumentException("profile name must be a string or null");
        }
        JsonNode preferences = profile.get("preferences");
        if (preferences != null && !(preferences instanceof ArrayNode array && allText(array))) {
            throw new IllegalArgumentException("profile preferences must be an array of strings");
        }
        JsonNode facts = profile.get("facts");
        if (facts != null && !(facts.isObject() && allText(facts))) {
            throw new IllegalArgumentException("profile facts must be an object of strings");
        }
        return profile;
    }

    private static boolean allText(JsonNode container) {
        for (JsonNode item : container) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
