package io.sessionflow.store.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunRequested;
import io.sessionflow.run.SessionMismatchException;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a run durable: the session exists (created with the component's default state, the only
 * time the default is copied in), it is the requester's, and the run is stored as pending. The
 * gateway does this before it answers 202; the run-worker does it for runs that external producers
 * published straight to the topic. Both do it for many runs at once, in a few statements.
 */
public final class RunRegistration {

    /** A run to register, with its component's default session state (used only if the session is new). */
    public record Registration(RunRequested request, ObjectNode defaultState) {
    }

    /** A registration's session as stored, or why the run may not use it (exactly one is set). */
    public record SessionCheck(Session session, SessionMismatchException refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private final SessionStore sessions;
    private final RunStore runs;

    public RunRegistration(SessionStore sessions, RunStore runs) {
        this.sessions = Objects.requireNonNull(sessions, "null session store");
        this.runs = Objects.requireNonNull(runs, "null run store");
    }

    /** Call inside the caller's transaction. @return the session as stored */
    public Session register(Connection connection, RunRequested request, ObjectNode defaultState) throws SQLException {
        SessionCheck check = registerAll(connection, List.of(new Registration(request, defaultState))).get(0);
        if (check.refused()) {
            throw check.refusal();
        }
        return check.session();
    }

    /**
     * Registers many runs in the caller's transaction, in three statements: a run whose session is
     * another user's or component's is refused and not stored, the others are stored as pending.
     */
    public List<SessionCheck> registerAll(Connection connection, List<Registration> registrations) throws SQLException {
        List<SessionCheck> checks = ensureSessions(connection, registrations);
        List<RunRequested> accepted = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            if (!checks.get(i).refused()) {
                accepted.add(registrations.get(i).request());
            }
        }
        runs.insertAllPending(connection, accepted);
        return checks;
    }

    /**
     * The sessions of these runs, created where they do not exist yet, each checked against its
     * run's user and component: two statements, whatever the number of runs.
     */
    public List<SessionCheck> ensureSessions(Connection connection, List<Registration> registrations) throws SQLException {
        sessions.createAllIfAbsent(connection, registrations.stream().map(r -> new SessionStore.NewSession(r.request().sessionId(),
                r.request().sessionType(), r.request().userId(), r.request().sessionComponentId(), r.defaultState())).toList());
        Map<String, Session> stored = sessions.findAll(connection, registrations.stream().map(r -> r.request().sessionId()).toList());
        List<SessionCheck> checks = new ArrayList<>();
        for (Registration registration : registrations) {
            Session session = stored.get(registration.request().sessionId());
            if (session == null) {
                throw new IllegalStateException("session " + registration.request().sessionId() + " vanished while registering a run");
            }
            checks.add(refusal(session, registration.request())
                    .map(refused -> new SessionCheck(null, refused))
                    .orElseGet(() -> new SessionCheck(session, null)));
        }
        return checks;
    }

    /**
     * Why the run may not use the session: it is another user's, or another component's. A workflow's
     * step runs in its workflow's session, so a step is checked against the workflow.
     */
    private static Optional<SessionMismatchException> refusal(Session session, RunRequested request) {
        if (!Objects.equals(session.userId(), request.userId())) {
            return Optional.of(new SessionMismatchException(SessionMismatchException.Kind.OTHER_USER,
                    "session " + request.sessionId() + " not found"));
        }
        if (session.sessionType() != request.sessionType() || !session.componentId().equals(request.sessionComponentId())) {
            return Optional.of(new SessionMismatchException(SessionMismatchException.Kind.OTHER_COMPONENT,
                    "session " + request.sessionId() + " belongs to " + session.sessionType().wireName() + " '"
                            + session.componentId() + "', not to " + request.sessionType().wireName() + " '" + request.sessionComponentId() + "'"));
        }
        return Optional.empty();
    }
}
