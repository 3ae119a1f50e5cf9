package io.sessionflow.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Agno's state precedence: the run argument is merged recursively into the stored state and wins
 * on conflicts; with {@code overwrite} it replaces the stored state. Inputs are never modified.
 */
public final class SessionState {

    private SessionState() {
    }

    public static ObjectNode apply(ObjectNode stored, ObjectNode runArgument, boolean overwrite) {
        if (runArgument == null) {
            return stored.deepCopy();
        }
        if (overwrite) {
            return runArgument.deepCopy();
        }
        return merge(stored, runArgument);
    }

    /** Objects merge key by key, recursively; any other value from {@code override} replaces. */
    public static ObjectNode merge(ObjectNode base, ObjectNode override) {
        ObjectNode result = base.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = result.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overrideObject) {
                result.set(field.getKey(), merge(existingObject, overrideObject));
            } else {
                result.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return result;
    }
}
