package io.sessionflow.gateway.auth;

import io.sessionflow.config.Env;
import io.sessionflow.event.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys the gateway accepts, held only as SHA-256 hashes: configuration never carries a key
 * itself. {@code SESSIONFLOW_API_KEYS} lists {@code admin=<sha256 hex>} and {@code user:<user id>=<sha256 hex>}
 * entries, comma-separated; {@code ./sessionflow hash-key <key>} prints the hash of a key.
 */
public final class ApiKeys {

    private final Map<String, Principal> byHash;

    private ApiKeys(Map<String, Principal> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    public static ApiKeys parse(String spec, Env env) {
        Map<String, Principal> byHash = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.lastIndexOf('=');
            String who = eq < 0 ? "" : trimmed.substring(0, eq);
            String hash = eq < 0 ? "" : trimmed.substring(eq + 1).toLowerCase(java.util.Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                env.error("SESSIONFLOW_API_KEYS: '" + who + "' needs the SHA-256 hex of its key after '=' (see ./sessionflow hash-key)");
                continue;
            }
            if (who.equals("admin")) {
                byHash.put(hash, Principal.ADMIN);
            } else if (who.startsWith("user:") && Ids.isValid(who.substring(5))) {
                byHash.put(hash, Principal.user(who.substring(5)));
            } else {
                env.error("SESSIONFLOW_API_KEYS: entries are admin=<hash> or user:<user id>=<hash>, got '" + who + "'");
            }
        }
        return new ApiKeys(byHash);
    }

    /** The caller behind a key, compared by hash (so no timing difference reveals a key's prefix). */
    public Optional<Principal> authenticate(String key) {
        return Optional.ofNullable(byHash.get(hash(key)));
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** How many keys of each kind there are; the hashes stay out of logs. */
    @Override
    public String toString() {
        long admins = byHash.values().stream().filter(Principal::admin).count();
        return "keys=" + byHash.size() + " (" + admins + " admin, " + (byHash.size() - admins) + " user)";
    }

    public int size() {
        return byHash.size();
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A new random key: 32 bytes from a secure random source. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "sf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
