package io.sessionflow.gateway.auth;

import java.util.Objects;

/** Who is calling: an administrator, or one user (who sees and changes only their own sessions and runs). */
public record Principal(boolean admin, String userId) {

    public static final Principal ADMIN = new Principal(true, null);

    public Principal {
        if (!admin) {
            Objects.requireNonNull(userId, "a user principal needs a user id");
        }
    }

    public static Principal user(String userId) {
        return new Principal(false, userId);
    }

    /** Whether this principal may see data of {@code ownerUserId}. */
    public boolean canAccess(String ownerUserId) {
        return admin || userId.equals(ownerUserId);
    }

    /**
     * The user a request acts for: an admin acts for whoever it names (or nobody); a user key for its
     * own user, stamped when it names none, and naming another is refused.
     */
    public String actingFor(String requestedUserId) {
        if (admin) {
            return requestedUserId;
        }
        if (requestedUserId != null && !requestedUserId.equals(userId)) {
            throw new io.sessionflow.gateway.http.ApiException(403, "forbidden", "a user key acts only for its own user_id", "user_id");
        }
        return userId;
    }

    @Override
    public String toString() {
        return admin ? "admin" : "user " + userId;
    }
}
