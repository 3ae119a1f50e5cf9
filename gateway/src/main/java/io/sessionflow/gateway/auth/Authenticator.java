package io.sessionflow.gateway.auth;

import io.sessionflow.gateway.http.ApiException;
import java.util.Optional;

/** Turns an {@code Authorization: Bearer <key>} header into a principal, or a 401. With auth off, everyone is admin. */
public final class Authenticator {

    private final ApiKeys keys;

    private Authenticator(ApiKeys keys) {
        this.keys = keys;
    }

    public static Authenticator withKeys(ApiKeys keys) {
        return new Authenticator(keys);
    }

    public static Authenticator off() {
        return new Authenticator(null);
    }

    public Principal authenticate(Optional<String> authorization) {
        if (keys == null) {
            return Principal.ADMIN;
        }
        String header = authorization.orElseThrow(() -> unauthorized("an API key is required: send Authorization: Bearer <key>"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        return keys.authenticate(header.substring(7).strip()).orElseThrow(() -> unauthorized("the API key is not valid"));
    }

    /** For the configuration log: whether keys are required, and how many there are (never the hashes). */
    @Override
    public String toString() {
        return keys == null ? "Auth[SESSIONFLOW_AUTH=off: every request is admin]" : "Auth[SESSIONFLOW_AUTH=on, " + keys + "]";
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null);
    }
}
