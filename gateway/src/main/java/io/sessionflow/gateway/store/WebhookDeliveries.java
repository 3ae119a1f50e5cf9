package io.sessionflow.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Which runs' webhooks were delivered (or dead-lettered), so that a redelivered event posts nothing twice. */
public final class WebhookDeliveries {

    public boolean delivered(Connection c, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM webhook_deliveries WHERE run_id = ?")) {
            select.setString(1, runId);
            return select.executeQuery().next();
        }
    }

    /** @return 1 if recorded now, 0 if the run's delivery was recorded before */
    public int record(Connection c, String runId, String url, int attempts) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO webhook_deliveries (run_id, url, attempts) VALUES (?, ?, ?) ON CONFLICT (run_id) DO NOTHING")) {
            insert.setString(1, runId);
            insert.setString(2, url);
            insert.setInt(3, attempts);
            return insert.executeUpdate();
        }
    }
}
