package io.sessionflow.store;

import io.sessionflow.SessionflowException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/** A database operation that failed. {@link #isTransient()} says whether a retry may succeed. */
public class StoreException extends SessionflowException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    /** A row refers to one that is gone: typically derived data written for a session deleted meanwhile. */
    public boolean isMissingParent() {
        return getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState());
    }

    /**
     * The database itself is out of reach (no connection, or the server is shutting down), as
     * opposed to one statement failing: every other piece of work would fail the same way now.
     */
    public boolean isConnectionLoss() {
        Throwable cause = getCause();
        if (cause instanceof java.sql.SQLTransientConnectionException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            return sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P");
        }
        return false;
    }

    /** Connection loss, serialization failures and deadlocks pass; constraint violations do not. */
    public boolean isTransient() {
        if (isConnectionLoss() || getCause() instanceof SQLTransientException) {
            return true;
        }
        if (getCause() instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("40") || state.equals("53300");
        }
        return false;
    }
}
