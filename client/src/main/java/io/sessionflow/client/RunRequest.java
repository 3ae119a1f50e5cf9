package io.sessionflow.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The body of a run: the user's message and, optionally, the session (a new one when absent), the
 * user (admin keys only), state merged into the session's (or replacing it) and a webhook.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRequest(String message, String sessionId, String userId, ObjectNode sessionState, Boolean overwriteSessionState,
                         String webhookUrl) {

    public RunRequest {
        Objects.requireNonNull(message, "null message");
    }

    public static RunRequest of(String message) {
        return new RunRequest(message, null, null, null, null, null);
    }

    public RunRequest inSession(String session) {
        return new RunRequest(message, session, userId, sessionState, overwriteSessionState, webhookUrl);
    }

    public RunRequest forUser(String user) {
        return new RunRequest(message, sessionId, user, sessionState, overwriteSessionState, webhookUrl);
    }

    public RunRequest withState(ObjectNode state) {
        return new RunRequest(message, sessionId, userId, state, overwriteSessionState, webhookUrl);
    }
}
