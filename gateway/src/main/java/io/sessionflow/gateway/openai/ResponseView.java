package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;

/**
 * A run as an OpenAI response object. The response id is the run id; the conversation is the run's
 * session; statuses map one to one (pending = queued, running = in_progress, completed, failed,
 * cancelled); the output holds the tool calls the run made, then the answer; usage is the run's tokens.
 */
final class ResponseView {

    /** What the request said that the run does not store: echoed on the answers to that request, absent on a later GET. */
    record Echo(String instructions, ObjectNode metadata, String previousResponseId, boolean background) {
        static final Echo NONE = new Echo(null, null, null, false);
    }

    private ResponseView() {
    }

    static String status(RunStatus status) {
        return switch (status) {
            case PENDING -> "queued";
            case RUNNING -> "in_progress";
            // Waiting for tool results or approvals through the native API (POST /v1/runs/{id}/continue):
            // OpenAI's name for a response that stopped short of its answer.
            case PAUSED -> "incomplete";
            case COMPLETED -> "completed";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    static ObjectNode of(RunRecord run, Echo echo) {
        ObjectNode view = Json.object()
                .put("id", run.runId())
                .put("object", "response")
                .put("created_at", run.createdAt().getEpochSecond())
                .put("status", status(run.status()))
                .put("background", echo.background())
                .put("model", ModelName.of(run.componentType(), run.componentId()));
        view.set("conversation", Json.object().put("id", run.sessionId()));
        view.put("previous_response_id", echo.previousResponseId());
        view.put("instructions", echo.instructions());
        view.set("metadata", echo.metadata() == null ? Json.object() : echo.metadata());
        view.set("output", output(run));
        view.set("error", run.status() == RunStatus.FAILED
                ? Json.object().put("code", "server_error").put("message", run.error() == null ? "the run failed" : run.error())
                : null);
        view.putNull("incomplete_details");
        view.set("usage", usage(run));
        view.put("parallel_tool_calls", true).put("tool_choice", "auto").put("temperature", 1.0).put("top_p", 1.0).put("store", true);
        view.putArray("tools");
        view.set("text", Json.object().set("format", Json.object().put("type", "text")));
        if (run.completedAt() != null) {
            view.put("completed_at", run.completedAt().getEpochSecond());
        }
        view.put("user", run.userId());
        return view;
    }

    /** The answer as its message item, in progress or done. */
    static ObjectNode answerItem(RunRecord run, String text, boolean done) {
        ObjectNode item = ItemView.message(ItemView.answerId(run.runId()), "assistant", text);
        item.put("status", done ? "completed" : "in_progress");
        if (!done) {
            item.putArray("content");
        }
        return item;
    }

    private static ArrayNode output(RunRecord run) {
        ArrayNode output = Json.MAPPER.createArrayNode();
        if (run.status() != RunStatus.COMPLETED) {
            return output;
        }
        JsonNode messages = run.messages() == null ? Json.MAPPER.createArrayNode() : run.messages();
        for (JsonNode message : messages) {
            message.path("tool_calls").forEach(call -> output.add(ItemView.functionCall(call)));
        }
        output.add(answerItem(run, run.content() == null ? "" : run.content(), true));
        return output;
    }

    private static ObjectNode usage(RunRecord run) {
        if (run.metrics() == null || run.status() != RunStatus.COMPLETED) {
            return null;
        }
        long input = run.metrics().path("input_tokens").asLong();
        long output = run.metrics().path("output_tokens").asLong();
        ObjectNode usage = Json.object().put("input_tokens", input).put("output_tokens", output).put("total_tokens", input + output);
        usage.set("input_tokens_details", Json.object().put("cached_tokens", 0));
        usage.set("output_tokens_details", Json.object().put("reasoning_tokens", 0));
        return usage;
    }
}
