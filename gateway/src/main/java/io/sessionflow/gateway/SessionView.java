package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.snapshot.SessionContext;
import io.sessionflow.store.snapshot.SessionSummary;
import java.util.Optional;

/** The public JSON form of a session, with its summary and context where they exist (each with the run index it covers). */
final class SessionView {

    private SessionView() {
    }

    static ObjectNode of(Session session, Optional<SessionSummary> summary, Optional<SessionContext> context) {
        ObjectNode view = Json.object()
                .put("session_id", session.sessionId())
                .put("session_type", session.sessionType().wireName())
                .put("user_id", session.userId())
                .put("component_id", session.componentId())
                .put("session_name", session.sessionName());
        view.set("session_state", session.sessionState());
        view.set("metadata", session.metadata());
        view.put("run_count", session.runCount());
        view.put("created_at", session.createdAt().toString());
        view.put("updated_at", session.updatedAt().toString());
        view.set("summary", summary.map(SessionView::summary).orElse(null));
        view.set("context", context.map(SessionView::context).orElse(null));
        return view;
    }

    /** A list entry: the session without its state, summary and context (those are one GET away). */
    static ObjectNode listItem(Session session) {
        ObjectNode view = Json.object()
                .put("session_id", session.sessionId())
                .put("session_type", session.sessionType().wireName())
                .put("user_id", session.userId())
                .put("component_id", session.componentId())
                .put("session_name", session.sessionName())
                .put("run_count", session.runCount())
                .put("created_at", session.createdAt().toString())
                .put("updated_at", session.updatedAt().toString());
        view.set("metadata", session.metadata());
        return view;
    }

    private static ObjectNode summary(SessionSummary summary) {
        ObjectNode view = Json.object().put("summary", summary.summary());
        view.set("topics", Json.MAPPER.valueToTree(summary.topics()));
        return view.put("up_to_run_index", summary.upToRunIndex())
                .put("prompt_version", summary.promptVersion())
                .put("model", summary.model())
                .put("updated_at", summary.updatedAt().toString());
    }

    private static ObjectNode context(SessionContext context) {
        ObjectNode view = Json.object().put("summary", context.summary()).put("goal", context.goal());
        view.set("plan", Json.MAPPER.valueToTree(context.plan()));
        view.set("progress", Json.MAPPER.valueToTree(context.progress()));
        return view.put("up_to_run_index", context.upToRunIndex())
                .put("prompt_version", context.promptVersion())
                .put("updated_at", context.updatedAt().toString());
    }
}
