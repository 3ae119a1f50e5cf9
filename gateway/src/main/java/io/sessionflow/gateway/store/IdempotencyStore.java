package io.sessionflow.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Idempotency keys. A key is claimed inside the transaction that stores its run: a concurrent
 * request with the same key waits on the claim and then sees it, so one key never makes two runs.
 */
public final class IdempotencyStore {

    /** The run a key was first used for, and a hash of that request. */
    public record Claim(String requestHash, String runId) {
    }

    /** @return empty if this call claimed the key for {@code runId}; otherwise the earlier claim */
    public Optional<Claim> claim(Connection c, String scope, String key, String requestHash, String runId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO idempotency_keys (scope, key, request_hash, run_id) VALUES (?, ?, ?, ?)
                ON CONFLICT (scope, key) DO NOTHING""")) {
            insert.setString(1, scope);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setString(4, runId);
            if (insert.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT request_hash, run_id FROM idempotency_keys WHERE scope = ? AND key = ?")) {
            select.setString(1, scope);
            select.setString(2, key);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Optional.of(new Claim(rs.getString(1), rs.getString(2)));
            }
        }
    }
}
