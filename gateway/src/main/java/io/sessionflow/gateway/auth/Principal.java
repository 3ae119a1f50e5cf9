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

    @Override
    public String toString() {
        return admin ? "admin" : "user " + userId;
    }
}
