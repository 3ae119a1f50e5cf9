package io.sessionflow.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Typed calls to the Sessionflow HTTP API (v1): runs, sessions, memories, reprocessing. Every call
 * sends the API key, retries 429 and 503 honouring Retry-After ({@link RetryPolicy}), and throws an
 * {@link ApiErrorException} subclass carrying the server's JSON error. Thread-safe.
 */
public final class SessionflowClient {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private static final TypeReference<Page<Session>> SESSION_PAGE = new TypeReference<>() { };
    private static final TypeReference<Page<Run>> RUN_PAGE = new TypeReference<>() { };
    private static final TypeReference<Page<Memory>> MEMORY_PAGE = new TypeReference<>() { };

    private final HttpTransport http;

    private SessionflowClient(HttpTransport http) {
        this.http = http;
    }

    /** @param apiKey the bearer key (null for the open routes only) */
    public static SessionflowClient create(String baseUrl, String apiKey) {
        return create(baseUrl, apiKey, RetryPolicy.DEFAULT, DEFAULT_REQUEST_TIMEOUT);
    }

    public static SessionflowClient create(String baseUrl, String apiKey, RetryPolicy retries, Duration requestTimeout) {
        Objects.requireNonNull(baseUrl, "null baseUrl");
        URI base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        return new SessionflowClient(new HttpTransport(base, apiKey, Objects.requireNonNull(retries, "null retries"),
                Objects.requireNonNull(requestTimeout, "null requestTimeout")));
    }

    // --- runs

    /** Accepts a run (202): stored as pending and acknowledged by Kafka; it executes later. */
    public RunAccepted startRun(Component component, RunRequest request) {
        return as(http.json("POST", runsPath(component), request, Map.of()), RunAccepted.class);
    }

    /** The same, idempotent: a retry with the same key answers the same run. */
    public RunAccepted startRun(Component component, RunRequest request, String idempotencyKey) {
        return as(http.json("POST", runsPath(component), request, Map.of("Idempotency-Key", idempotencyKey)), RunAccepted.class);
    }

    /** Starts a run and answers when it has finished (completed, failed or cancelled). */
    public Run runAndWait(Component component, RunRequest request) {
        return as(http.json("POST", runsPath(component) + "?wait=true", request, Map.of()), Run.class);
    }

    /**
     * Starts a run and streams it: {@code onEvent} sees run_started, the deltas as the model produces
     * them, then the final event. Answers the finished run.
     */
    public Run streamRun(Component component, RunRequest request, Consumer<RunStreamEvent> onEvent) {
        return follow("POST", runsPath(component) + "?stream=true", request, Map.of(), onEvent);
    }

    /** Follows an accepted run's events, live or replayed, from after {@code lastEventId} (-1: from the start). */
    public Run followRun(String runId, long lastEventId, Consumer<RunStreamEvent> onEvent) {
        Map<String, String> headers = lastEventId < 0 ? Map.of() : Map.of("Last-Event-ID", Long.toString(lastEventId));
        return follow("GET", "v1/runs/" + segment(runId) + "/events", null, headers, onEvent);
    }

    public Run getRun(String runId) {
        return as(http.json("GET", "v1/runs/" + segment(runId), null, Map.of()), Run.class);
    }

    /** Polls the run until it has finished or {@code timeout} passes (then answers it as it is). */
    public Run awaitRun(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Run run = getRun(runId);
        while (!run.isFinished() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionflowClientException("interrupted while waiting for run " + runId, e);
            }
            run = getRun(runId);
        }
        return run;
    }

    /** Cancels a run that has not finished; a finished one throws {@link ApiErrorException.ConflictException}. */
    public Run cancelRun(String runId) {
        return as(http.json("POST", "v1/runs/" + segment(runId) + "/cancel", null, Map.of()), Run.class);
    }

    /**
     * Answers a paused run: a result for each call awaiting one, an approval for each call awaiting
     * approval, all at once (202: the run resumes on the worker that holds its session). A run that is
     * not paused throws {@link ApiErrorException.ConflictException}; answers that do not fit its pending
     * calls throw {@link ApiErrorException.BadRequestException} naming the field.
     */
    public RunAccepted continueRun(String runId, List<ToolResult> toolResults, List<Approval> approvals) {
        return as(http.json("POST", "v1/runs/" + segment(runId) + "/continue", continuation(toolResults, approvals), Map.of()),
                RunAccepted.class);
    }

    /** The same, answering when the run has finished or paused again. */
    public Run continueRunAndWait(String runId, List<ToolResult> toolResults, List<Approval> approvals) {
        return as(http.json("POST", "v1/runs/" + segment(runId) + "/continue?wait=true", continuation(toolResults, approvals), Map.of()),
                Run.class);
    }

    /** An external tool's result for a paused run's call. */
    public record ToolResult(String callId, String content) {
    }

    /** A human's decision on a paused run's call that requires confirmation; {@code reason} is told to the model when rejected. */
    public record Approval(String callId, boolean approved, String reason) {
    }

    private static ObjectNode continuation(List<ToolResult> toolResults, List<Approval> approvals) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode();
        body.set("tool_results", ClientJson.MAPPER.valueToTree(toolResults == null ? List.of() : toolResults));
        body.set("approvals", ClientJson.MAPPER.valueToTree(approvals == null ? List.of() : approvals));
        return body;
    }

    // --- sessions

    public Session getSession(String sessionId) {
        return as(http.json("GET", "v1/sessions/" + segment(sessionId), null, Map.of()), Session.class);
    }

    /** Lists sessions; {@code filters} are the query parameters of GET /v1/sessions (user_id, component_id, page, limit, ...). */
    public Page<Session> listSessions(Map<String, String> filters) {
        return ClientJson.MAPPER.convertValue(http.json("GET", "v1/sessions" + query(filters), null, Map.of()), SESSION_PAGE);
    }

    public Page<Run> listSessionRuns(String sessionId, int page, int limit) {
        String path = "v1/sessions/" + segment(sessionId) + "/runs" + query(Map.of("page", Integer.toString(page), "limit", Integer.toString(limit)));
        return ClientJson.MAPPER.convertValue(http.json("GET", path, null, Map.of()), RUN_PAGE);
    }

    /** Renames a session. */
    public Session renameSession(String sessionId, String name) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode().put("session_name", name);
        return as(http.json("PATCH", "v1/sessions/" + segment(sessionId), body, Map.of()), Session.class);
    }

    /** Deletes a session with its runs, summary and context. */
    public void deleteSession(String sessionId) {
        http.json("DELETE", "v1/sessions/" + segment(sessionId), null, Map.of());
    }

    // --- memories

    public Page<Memory> listMemories(String userId, int page, int limit) {
        String path = "v1/users/" + segment(userId) + "/memories" + query(Map.of("page", Integer.toString(page), "limit", Integer.toString(limit)));
        return ClientJson.MAPPER.convertValue(http.json("GET", path, null, Map.of()), MEMORY_PAGE);
    }

    public Memory addMemory(String userId, String memory, List<String> topics) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode().put("memory", memory);
        topics.forEach(body.putArray("topics")::add);
        return as(http.json("POST", "v1/users/" + segment(userId) + "/memories", body, Map.of()), Memory.class);
    }

    public void deleteMemory(String userId, String memoryId) {
        http.json("DELETE", "v1/users/" + segment(userId) + "/memories/" + segment(memoryId), null, Map.of());
    }

    // --- reprocessing (admin keys)

    /** Starts a job rebuilding {@code kind} (summaries, context or both) for the sessions {@code filter} matches. */
    public ReprocessJob startReprocess(String kind, Map<String, Object> filter) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode().put("kind", kind);
        body.set("filter", ClientJson.MAPPER.valueToTree(filter));
        return as(http.json("POST", "v1/reprocess", body, Map.of()), ReprocessJob.class);
    }

    public ReprocessJob getReprocessJob(String jobId) {
        return as(http.json("GET", "v1/reprocess/" + segment(jobId), null, Map.of()), ReprocessJob.class);
    }

    public ReprocessJob cancelReprocessJob(String jobId) {
        return as(http.json("POST", "v1/reprocess/" + segment(jobId) + "/cancel", null, Map.of()), ReprocessJob.class);
    }

    // ---

    private Run follow(String method, String path, Object body, Map<String, String> headers, Consumer<RunStreamEvent> onEvent) {
        List<String> finished = new ArrayList<>(1);
        http.events(method, path, body, headers, (id, type, data) -> {
            JsonNode json = readTree(data);
            RunStreamEvent event = new RunStreamEvent(id == null ? -1 : Long.parseLong(id), type, json.path("run_id").asText(null),
                    json.path("session_id").asText(null), json.path("delta").asText(null), json.get("run"),
                    json.hasNonNull("at") ? ClientJson.MAPPER.convertValue(json.get("at"), java.time.Instant.class) : null);
            onEvent.accept(event);
            if (event.isFinal()) {
                finished.add(event.runId());
                return false;
            }
            return true;
        });
        if (finished.isEmpty()) {
            throw new SessionflowClientException("the event stream of " + path + " ended before the run finished");
        }
        // The final event carries the outcome event live and the stored run when replayed: the stored run is the one answer.
        return getRun(finished.get(0));
    }

    private static String runsPath(Component component) {
        return "v1/" + component.kind() + "/" + segment(component.id()) + "/runs";
    }

    private static String segment(String id) {
        return URLEncoder.encode(Objects.requireNonNull(id, "null id"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        return new LinkedHashMap<>(params).entrySet().stream()
                .map(e -> segment(e.getKey()) + "=" + segment(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static JsonNode readTree(String data) {
        try {
            return ClientJson.MAPPER.readTree(data);
        } catch (java.io.IOException e) {
            throw new SessionflowClientException("an event that is not JSON: " + data, e);
        }
    }

    private static <T> T as(JsonNode json, Class<T> type) {
        return ClientJson.MAPPER.convertValue(json, type);
    }
}
