package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunEvent;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.EventStream;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.json.Json;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /openai/v1/chat/completions} for older clients. The conversation is a session named by
 * the {@code X-Session-Id} header or {@code metadata.session_id} (a new one otherwise, named in the
 * answer's {@code X-Session-Id}); the history is the server's, so only the last user message of
 * {@code messages} is the new turn.
 */
final class ChatCompletionsApi {

    static final String SESSION_HEADER = "X-Session-Id";

    private static final Set<String> FIELDS = Set.of("model", "messages", "stream", "metadata", "user");
    private static final Set<String> NOT_APPLIED = Set.of("temperature", "top_p", "max_tokens", "max_completion_tokens", "n", "stop",
            "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "response_format", "seed", "tools",
            "tool_choice", "parallel_tool_calls", "stream_options", "store", "service_tier", "reasoning_effort", "modalities",
            "safety_identifier", "prompt_cache_key", "verbosity");

    private final Turns turns;
    private final RunEventReader reader;
    private final Duration streamTimeout;

    ChatCompletionsApi(Turns turns, RunEventReader reader, Duration streamTimeout) {
        this.turns = turns;
        this.reader = reader;
        this.streamTimeout = streamTimeout;
    }

    void register(Router router) {
        router.route("POST", "/openai/v1/chat/completions", this::create);
    }

    private void create(HttpCall call) {
        call.allowQuery(Set.of());
        Set<String> known = new HashSet<>(FIELDS);
        known.addAll(NOT_APPLIED);
        ObjectNode body = JsonFields.object(call.jsonBody(), known);
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.isInt() && n.asInt() == 1)) {
            throw ApiException.badRequest("n", "a turn has one answer: n must be 1");
        }
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
            throw ApiException.badRequest("tools", "tools are the agent's, set in its configuration; a request may not bring its own");
        }
        ModelName model = ModelName.parse("model", JsonFields.requiredText(body, "model"));
        String message = LastUserText.of(body.get("messages"), "messages");
        boolean stream = JsonFields.optionalBoolean(body, "stream", "stream");
        String sessionId = sessionId(call, body);
        String requestedUser = JsonFields.optionalId(body, "user");
        String owner = null;
        boolean existing = false;
        if (sessionId != null) {
            Optional<Session> session = existingSession(call, sessionId);
            existing = session.isPresent();
            owner = session.map(Session::userId).orElse(null);
        }
        String userId = call.principal().actingFor(requestedUser != null || !existing ? requestedUser : owner);
        String session = sessionId != null ? sessionId : UUID.randomUUID().toString();
        Turns.Started started = turns.start(model, session, userId, message, "messages", !stream);
        String runId = started.accepted().runId();
        call.setHeader(SESSION_HEADER, session);
        if (stream) {
            stream(call, turns.run(runId));
            return;
        }
        call.continueWhen(started.finished(), (later, done) -> {
            RunRecord run = turns.run(runId);
            if (!done) {
                throw new ApiException(504, "wait_timeout", "the answer took longer than the gateway waits; it is run " + runId
                        + " (GET /openai/v1/responses/" + runId + ")", null);
            }
            if (run.status() != RunStatus.COMPLETED) {
                throw new ApiException(502, "run_" + run.status().wireName(), "the run " + run.status().wireName() + ": " + run.error(), null);
            }
            later.respond(200, completion(run));
        });
    }

    private static String sessionId(HttpCall call, ObjectNode body) {
        Optional<String> header = call.header(SESSION_HEADER);
        JsonNode metadata = body.path("metadata").path("session_id");
        String fromMetadata = metadata.isTextual() ? metadata.asText() : null;
        if (header.isPresent() && fromMetadata != null && !header.get().equals(fromMetadata)) {
            throw ApiException.badRequest("metadata.session_id", "the " + SESSION_HEADER + " header and metadata.session_id name different sessions");
        }
        String id = header.orElse(fromMetadata);
        if (id != null && !Ids.isValid(id)) {
            throw ApiException.badRequest(header.isPresent() ? SESSION_HEADER : "metadata.session_id", "a session id is 1-128 letters, digits and . _ : @ -");
        }
        return id;
    }

    /** An existing session the caller may use; another user's is a 404 like a missing conversation would be, and a new id is fine. */
    private Optional<Session> existingSession(HttpCall call, String sessionId) {
        try {
            return Optional.of(turns.session(call.principal(), sessionId, SESSION_HEADER));
        } catch (ApiException notFound) {
            return Optional.empty();
        }
    }

    private static ObjectNode completion(RunRecord run) {
        ObjectNode message = Json.object().put("role", "assistant").put("content", run.content()).putNull("refusal");
        message.putArray("annotations");
        ObjectNode choice = Json.object().put("index", 0).put("finish_reason", "stop").putNull("logprobs");
        choice.set("message", message);
        ObjectNode result = head(run, "chat.completion");
        result.putArray("choices").add(choice);
        long input = run.metrics() == null ? 0 : run.metrics().path("input_tokens").asLong();
        long output = run.metrics() == null ? 0 : run.metrics().path("output_tokens").asLong();
        result.set("usage", Json.object().put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output));
        return result;
    }

    private static ObjectNode head(RunRecord run, String object) {
        return Json.object().put("id", run.runId()).put("object", object).put("created", run.createdAt().getEpochSecond())
                .put("model", ModelName.of(run.componentType(), run.componentId()));
    }

    /** Chunks as OpenAI sends them: the role first, then the text as it comes, then the finish reason, then {@code [DONE]}. */
    private void stream(HttpCall call, RunRecord run) {
        RunEventReader.Following following = reader.follow(run.sessionId(), run.runId(), run.createdAt(), RunEventReader.FROM_START,
                false, Instant.now().plus(streamTimeout));
        EventStream stream = call.openEventStream();
        stream.sendData(Json.toText(chunk(run, Json.object().put("role", "assistant").put("content", ""), null)));
        stream.follow(() -> {
            Optional<RunEventReader.Reading> reading = following.poll((id, event) -> switch (event.type()) {
                case RunEvent.DELTA -> stream.sendData(Json.toText(chunk(run, Json.object().put("content", event.delta()), null)));
                case RunEvent.COMPLETED, RunEvent.FAILED -> {
                    RunRecord finished = turns.run(run.runId());
                    if (finished.status() == RunStatus.COMPLETED) {
                        stream.sendData(Json.toText(chunk(run, Json.object(), "stop")));
                    } else {
                        stream.sendData(Json.toText(OpenAiErrors.render(new ApiException(502, "run_" + finished.status().wireName(),
                                "the run " + finished.status().wireName() + ": " + finished.error(), null))));
                    }
                    yield stream.sendData("[DONE]");
                }
                default -> true;
            });
            return reading.isEmpty();
        }, following::close);
    }

    private static ObjectNode chunk(RunRecord run, ObjectNode delta, String finishReason) {
        ObjectNode choice = Json.object().put("index", 0).put("finish_reason", finishReason);
        choice.set("delta", delta);
        ObjectNode chunk = head(run, "chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        choices.add(choice);
        return chunk;
    }
}
