package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import java.util.HashSet;
import java.util.Set;

/**
 * OpenAI's Responses API over runs: {@code POST /openai/v1/responses} starts a run and answers when
 * it finished (or at once with {@code background}, or as a stream with {@code stream});
 * {@code GET .../{id}} reads it (or resumes its stream), {@code POST .../{id}/cancel} cancels it.
 */
final class ResponsesApi {

    private static final Set<String> FIELDS = Set.of("model", "input", "conversation", "previous_response_id", "instructions",
            "metadata", "store", "stream", "background", "user");
    /** Sent by common clients; accepted and not applied (the agent's configuration decides these). */
    private static final Set<String> NOT_APPLIED = Set.of("temperature", "top_p", "max_output_tokens", "parallel_tool_calls",
            "truncation", "text", "reasoning", "include", "tool_choice", "service_tier", "prompt_cache_key", "safety_identifier",
            "top_logprobs", "max_tool_calls", "stream_options", "tools");
    private static final int MAX_INSTRUCTIONS_CHARS = 100_000;
    private static final int MAX_METADATA_BYTES = 16 * 1024;

    private final Turns turns;
    private final ResponseStream streams;
    private final Database database;
    private final RunStore runs = new RunStore();

    ResponsesApi(Turns turns, ResponseStream streams, Database database) {
        this.turns = turns;
        this.streams = streams;
        this.database = database;
    }

    void register(Router router) {
        router.route("POST", "/openai/v1/responses", this::create);
        router.route("GET", "/openai/v1/responses/{response_id}", this::retrieve);
        router.route("POST", "/openai/v1/responses/{response_id}/cancel", this::cancel);
    }

    private void create(HttpCall call) {
        call.allowQuery(Set.of());
        Set<String> known = new HashSet<>(FIELDS);
        known.addAll(NOT_APPLIED);
        ObjectNode body = JsonFields.object(call.jsonBody(), known);
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
            throw ApiException.badRequest("tools", "tools are the agent's, set in its configuration; a request may not bring its own");
        }
        ModelName model = ModelName.parse("model", JsonFields.requiredText(body, "model"));
        String message = LastUserText.of(body.get("input"), "input");
        boolean stream = JsonFields.optionalBoolean(body, "stream", "stream");
        boolean background = JsonFields.optionalBoolean(body, "background", "background");
        if (body.has("store") && !body.get("store").isNull() && !JsonFields.optionalBoolean(body, "store", "store")) {
            throw ApiException.badRequest("store", "every response is stored: it is a run of a durable session");
        }
        String instructions = JsonFields.optionalText(body, "instructions", MAX_INSTRUCTIONS_CHARS);
        ObjectNode metadata = JsonFields.optionalObject(body, "metadata", MAX_METADATA_BYTES);
        String previous = JsonFields.optionalId(body, "previous_response_id");
        String conversation = conversationId(body.get("conversation"));
        if (previous != null && conversation != null) {
            throw ApiException.badRequest("previous_response_id", "give conversation or previous_response_id, not both");
        }
        String requestedUser = JsonFields.optionalId(body, "user");
        String sessionId = null;
        String owner = null;
        if (conversation != null) {
            Session session = turns.session(call.principal(), conversation, "conversation");
            sessionId = session.sessionId();
            owner = session.userId();
        } else if (previous != null) {
            RunRecord earlier = turns.run(call.principal(), previous, "previous_response_id");
            sessionId = earlier.sessionId();
            owner = earlier.userId();
        }
        // Continuing a conversation acts for its user: an admin key need not name them again.
        String userId = call.principal().actingFor(requestedUser != null || sessionId == null ? requestedUser : owner);
        ResponseView.Echo echo = new ResponseView.Echo(instructions, metadata, previous, background);
        Turns.Started started = turns.start(model, sessionId, userId, message, "input", !stream && !background);
        String runId = started.accepted().runId();
        if (stream) {
            streams.open(call, turns.run(runId), echo, -1);
        } else if (background) {
            call.respond(200, ResponseView.of(turns.run(runId), echo));
        } else {
            call.continueWhen(started.finished(), (later, done) -> later.respond(200, ResponseView.of(turns.run(runId), echo)));
        }
    }

    private static String conversationId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode id = node.isObject() ? node.get("id") : node;
        if (id == null || !id.isTextual() || !Ids.isValid(id.asText())) {
            throw ApiException.badRequest("conversation", "conversation must be a conversation id, or {\"id\": <conversation id>}");
        }
        return id.asText();
    }

    private void retrieve(HttpCall call) {
        call.allowQuery(Set.of("stream", "starting_after", "include", "include[]", "include_obfuscation"));
        RunRecord run = accessible(call);
        if (call.queryFlag("stream", false)) {
            long after = startingAfter(call);
            streams.open(call, run, ResponseView.Echo.NONE, after);
            return;
        }
        call.respond(200, ResponseView.of(run, ResponseView.Echo.NONE));
    }

    private static long startingAfter(HttpCall call) {
        String text = call.query("starting_after").orElse("-1");
        try {
            long after = Long.parseLong(text);
            if (after >= -1) {
                return after;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("starting_after", "starting_after must be the sequence_number of an event of this response");
    }

    private void cancel(HttpCall call) {
        call.allowQuery(Set.of());
        String runId = accessible(call).runId();
        boolean cancelled = database.withConnection(c -> runs.finishUnsuccessfully(c, runId, RunStatus.CANCELLED, "cancelled by request"));
        RunRecord now = turns.run(runId);
        if (!cancelled && now.status() != RunStatus.CANCELLED) {
            throw new ApiException(409, "response_finished", "response " + runId + " is already " + ResponseView.status(now.status()), null);
        }
        call.respond(200, ResponseView.of(now, ResponseView.Echo.NONE));
    }

    private RunRecord accessible(HttpCall call) {
        String runId = call.path("response_id");
        if (!Ids.isValid(runId)) {
            throw ApiException.badRequest("response_id", "response_id is not a valid id");
        }
        return turns.run(call.principal(), runId, null);
    }
}
