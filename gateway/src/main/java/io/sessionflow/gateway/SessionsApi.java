package io.sessionflow.gateway;

import io.sessionflow.event.Ids;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.store.Database;
import io.sessionflow.store.Session;
import io.sessionflow.store.SessionStore;
import io.sessionflow.store.SnapshotStore;

/** {@code GET /v1/sessions/{session_id}}: the session with its summary and context snapshot. */
final class SessionsApi {

    private final Database database;
    private final SessionStore sessions = new SessionStore();
    private final SnapshotStore snapshots = new SnapshotStore();

    SessionsApi(Database database) {
        this.database = database;
    }

    void register(Router router) {
        router.route("GET", "/v1/sessions/{session_id}", this::getSession);
    }

    private void getSession(HttpCall call) {
        String sessionId = call.path("session_id");
        if (!Ids.isValid(sessionId)) {
            throw ApiException.badRequest("session_id", "session_id is not a valid id");
        }
        call.respond(200, database.withConnection(c -> {
            Session session = sessions.find(c, sessionId).orElseThrow(() -> ApiException.notFound("session " + sessionId + " not found"));
            return SessionView.of(session, snapshots.findSummary(c, sessionId), snapshots.findContext(c, sessionId));
        }));
    }
}
