package io.sessionflow.gateway.auth;

import io.sessionflow.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication is on unless {@code SESSIONFLOW_AUTH=off} says otherwise, explicitly and with a
 * warning in the log. On, it needs at least one key in {@code SESSIONFLOW_API_KEYS}.
 */
public final class AuthSettings {

    private static final Logger log = LoggerFactory.getLogger(AuthSettings.class);

    /** Keys are required unless SESSIONFLOW_AUTH=off says, explicitly, that anyone may call. */
    public static final String DEFAULT_MODE = "on";

    private AuthSettings() {
    }

    public static Authenticator read(Env env) {
        String mode = env.string("SESSIONFLOW_AUTH", DEFAULT_MODE);
        if (mode.equals("off")) {
            log.warn("SESSIONFLOW_AUTH=off: the gateway accepts every request as admin, without a key. Never expose it like this.");
            return Authenticator.off();
        }
        if (!mode.equals("on")) {
            env.error("SESSIONFLOW_AUTH must be 'on' or 'off', got '" + mode + "'");
        }
        ApiKeys keys = ApiKeys.parse(env.string("SESSIONFLOW_API_KEYS", ""), env);
        if (keys.isEmpty()) {
            env.error("SESSIONFLOW_API_KEYS is empty: give admin=<sha256> and/or user:<id>=<sha256> entries "
                    + "(./sessionflow hash-key <key> prints a hash), or set SESSIONFLOW_AUTH=off explicitly");
        }
        return Authenticator.withKeys(keys);
    }
}
