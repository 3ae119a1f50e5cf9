package io.sessionflow.gateway.openai.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A conversation created without a model is a session not yet bound to an agent or team (OpenAI's
 * conversations name no model; our sessions belong to one component). Its first response binds it,
 * copying in the component's default state as a new session would have; after that the usual rule
 * holds: another component's run on it is a 409.
 */
public final class ConversationBinding {

    /** The component id of an unbound conversation: not a valid id, so no component can have it. */
    public static final String UNBOUND = "(unbound)";

    /** Binds the session if it is still unbound; a bound one is left as it is (its runs are checked as usual). */
    public void bindIfUnbound(Connection connection, String sessionId, ComponentType type, String componentId, ObjectNode defaultState)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sessions SET session_type = ?, component_id = ?, session_state = CAST(? AS jsonb) || session_state,
                                    version = version + 1, updated_at = now()
                 WHERE session_id = ? AND component_id = ?""")) {
            update.setString(1, type.wireName());
            update.setString(2, componentId);
            update.setString(3, Json.toText(defaultState));
            update.setString(4, sessionId);
            update.setString(5, UNBOUND);
            update.executeUpdate();
        }
    }
}
