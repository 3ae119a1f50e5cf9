package io.sessionflow.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How to reach Postgres. {@code DATABASE_URL} may be a JDBC URL ({@code jdbc:postgresql://host/db})
 * or the common {@code postgres://user:password@host:port/db} form; {@code DATABASE_USER} and
 * {@code DATABASE_PASSWORD} win over credentials in the URL.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int poolSize) {

    public static final int DEFAULT_POOL_SIZE = 16;
    /** The port of a {@code postgres://} URL that names none. */
    public static final int DEFAULT_PORT = 5432;

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "null jdbc url");
    }

    public static DatabaseSettings read(Env env) {
        String url = env.required("DATABASE_URL", "the Postgres database (jdbc:postgresql://... or postgres://user:pass@host:port/db)");
        String user = env.optional("DATABASE_USER").orElse(null);
        String password = env.optional("DATABASE_PASSWORD").orElse(null);
        int poolSize = env.integer("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 500);
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                String[] parts = userInfo.split(":", 2);
                user = user != null ? user : decode(parts[0]);
                password = password != null ? password : parts.length > 1 ? decode(parts[1]) : null;
            }
            int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            url = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
        } else if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            env.error("DATABASE_URL must start with jdbc:postgresql:, postgres:// or postgresql://");
        }
        return new DatabaseSettings(url, user, password, poolSize);
    }

    /** Percent-decoding only: in a URL's user part '+' is a plain character, not a space (as libpq reads it). */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + Secrets.url(jdbcUrl) + ", user=" + user + ", password=" + Secrets.mask(password)
                + ", pool=" + poolSize + "]";
    }
}
