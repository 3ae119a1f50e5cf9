package io.sessionflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunRequested;
import io.sessionflow.store.RunStore;
import io.sessionflow.store.Session;
import io.sessionflow.store.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Makes a run durable: the session exists (created with the component's default state, the only
 * time the default is copied in), it is the requester's, and the run is stored as pending. The
 * gateway does this before it answers 202; the run-worker does it for runs that external producers
 * published straight to the topic.
 */
public final class RunRegistration {

    private final SessionStore sessions;
    private final RunStore runs;

    public RunRegistration(SessionStore sessions, RunStore runs) {
        this.sessions = Objects.requireNonNull(sessions, "null session store");
        this.runs = Objects.requireNonNull(runs, "null run store");
    }

    /** Call inside the caller's transaction. @return the session as stored */
    public Session register(Connection connection, RunRequested request, ObjectNode defaultState) throws SQLException {
        sessions.createIfAbsent(connection, request.sessionId(), request.componentType(), request.userId(),
                request.componentId(), defaultState);
        Session session = sessions.find(connection, request.sessionId())
                .orElseThrow(() -> new IllegalStateException("session " + request.sessionId() + " vanished while registering a run"));
        checkOwnership(session, request);
        runs.insertPending(connection, request, null);
        return session;
    }

    /** @throws SessionMismatchException when the session is another user's, or another component's */
    public static void checkOwnership(Session session, RunRequested request) {
        if (!Objects.equals(session.userId(), request.userId())) {
            throw new SessionMismatchException(SessionMismatchException.Kind.OTHER_USER,
                    "session " + request.sessionId() + " not found");
        }
        if (session.sessionType() != request.componentType() || !session.componentId().equals(request.componentId())) {
            throw new SessionMismatchException(SessionMismatchException.Kind.OTHER_COMPONENT,
                    "session " + request.sessionId() + " belongs to " + session.sessionType().wireName() + " '"
                            + session.componentId() + "', not to " + request.componentType().wireName() + " '" + request.componentId() + "'");
        }
    }
}
