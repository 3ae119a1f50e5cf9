package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.json.Json;

/**
 * Stored run messages as OpenAI items. A conversation item's id is {@code msg_<run id>_<turn>}: the
 * run and the message's place in it, so an id given back as a paging cursor needs no table of its
 * own. A response's answer is the item {@code msg_<run id>}.
 */
final class ItemView {

    private static final String PREFIX = "msg_";

    private ItemView() {
    }

    /** A conversation item id, and back. */
    record ItemId(String runId, int turn) {

        String text() {
            return PREFIX + runId + "_" + turn;
        }

        static ItemId parse(String param, String text) {
            int split = text.lastIndexOf('_');
            if (text.startsWith(PREFIX) && split > PREFIX.length()) {
                try {
                    int turn = Integer.parseInt(text.substring(split + 1));
                    if (turn > 0) {
                        return new ItemId(text.substring(PREFIX.length(), split), turn);
                    }
                } catch (NumberFormatException e) {
                    // answered below
                }
            }
            throw ApiException.badRequest(param, param + " must be the id of an item of this conversation");
        }
    }

    /** The id of a response's answer item. */
    static String answerId(String runId) {
        return PREFIX + runId;
    }

    /**
     * One stored message as an item: user and assistant messages as {@code message} items, a tool's
     * result as {@code function_call_output}. An assistant turn that asked for tools keeps its calls
     * in {@code tool_calls} (one stored turn is one item, so cursors stay simple).
     */
    static ObjectNode item(String id, JsonNode message) {
        String role = message.path("role").asText();
        String text = message.path("content").asText("");
        if (role.equals("tool")) {
            return Json.object().put("type", "function_call_output").put("id", id)
                    .put("call_id", message.path("tool_call_id").asText()).put("output", text).put("status", "completed");
        }
        ObjectNode item = message(id, role, text);
        if (message.has("tool_calls")) {
            item.set("tool_calls", message.get("tool_calls").deepCopy());
        }
        return item;
    }

    static ObjectNode message(String id, String role, String text) {
        ObjectNode item = Json.object().put("type", "message").put("id", id).put("status", "completed").put("role", role);
        ArrayNode content = item.putArray("content");
        if (role.equals("assistant")) {
            content.add(outputText(text));
        } else {
            content.add(Json.object().put("type", "input_text").put("text", text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** A tool call the run made, as a completed {@code function_call} output item (the tool ran on the server). */
    static ObjectNode functionCall(JsonNode call) {
        return Json.object().put("type", "function_call").put("id", "fc_" + call.path("id").asText())
                .put("call_id", call.path("id").asText()).put("name", call.path("name").asText())
                .put("arguments", call.path("arguments").asText()).put("status", "completed");
    }
}
