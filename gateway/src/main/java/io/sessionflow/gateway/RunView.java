package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.run.RunRecord;

/** The public JSON form of a stored run. */
public final class RunView {

    private RunView() {
    }

    public static ObjectNode of(RunRecord run) {
        ObjectNode view = Json.object()
                .put("run_id", run.runId())
                .put("session_id", run.sessionId())
                .put("status", run.status().wireName())
                .put("component_type", run.componentType().wireName())
                .put("component_id", run.componentId())
                .put("user_id", run.userId());
        if (run.runIndex() != null) {
            view.put("run_index", run.runIndex());
        } else {
            view.putNull("run_index");
        }
        view.put("parent_run_id", run.parentRunId());
        view.set("input", run.input());
        view.put("content", run.content());
        // The run's turns as the model saw them: the user message, tool calls and their results, the answer.
        view.set("messages", run.messages());
        view.put("model", run.model());
        view.set("metrics", run.metrics());
        view.put("error", run.error());
        view.put("created_at", text(run.createdAt()));
        view.put("started_at", text(run.startedAt()));
        view.put("completed_at", text(run.completedAt()));
        return view;
    }

    /** The run, and its children (a team's members, a workflow's steps, in the order they ran) under {@code children}. */
    public static ObjectNode withChildren(RunRecord run, java.util.List<RunRecord> children) {
        ObjectNode view = of(run);
        var list = view.putArray("children");
        children.forEach(child -> list.add(of(child)));
        return view;
    }

    private static String text(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
