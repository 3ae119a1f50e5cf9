package io.sessionflow.gateway;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunRequested;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStatus;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.run.PausedRuns;
import io.sessionflow.run.ContinuationRefusedException;
import io.sessionflow.gateway.auth.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import io.sessionflow.event.RunEvent;
import io.sessionflow.gateway.http.EventStream;
import io.sessionflow.gateway.stream.LiveRunEvents;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.json.Json;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code POST /v1/agents/{id}/runs}, {@code POST /v1/teams/{id}/runs}, {@code POST /v1/workflows/{id}/runs} and {@code GET /v1/runs/{id}}. */
final class RunsApi {

    private final RunAcceptor acceptor;
    private final CompletionWaiter waiter;
    private final Database database;
    private final GatewaySettings settings;
    private final Backlog backlog;
    private final RunStore runs = new RunStore();
    private final PausedRuns pausedRuns = new PausedRuns();

    private final RunEventReader reader;
    private final LiveRunEvents liveEvents;
    private final io.micrometer.core.instrument.Counter acceptedRuns;

    RunsApi(RunAcceptor acceptor, CompletionWaiter waiter, Database database, GatewaySettings settings, Backlog backlog,
            RunEventReader reader, LiveRunEvents liveEvents, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.reader = reader;
        this.liveEvents = liveEvents;
        this.acceptedRuns = io.micrometer.core.instrument.Counter.builder("sessionflow.runs.accepted")
                .description("runs stored as pending and acknowledged by Kafka").register(metrics);
        this.acceptor = acceptor;
        this.backlog = backlog;
        this.waiter = waiter;
        this.database = database;
        this.settings = settings;
    }

    void register(Router router) {
        router.route("POST", "/v1/agents/{agent_id}/runs", call -> startRun(call, ComponentType.AGENT, call.path("agent_id")));
        router.route("POST", "/v1/teams/{team_id}/runs", call -> startRun(call, ComponentType.TEAM, call.path("team_id")));
        router.route("POST", "/v1/workflows/{workflow_id}/runs", call -> startRun(call, ComponentType.WORKFLOW, call.path("workflow_id")));
        router.route("GET", "/v1/runs/{run_id}", this::getRun);
        router.route("POST", "/v1/runs/{run_id}/cancel", this::cancelRun);
        router.route("POST", "/v1/runs/{run_id}/continue", this::continueRun);
        router.route("GET", "/v1/runs/{run_id}/events", this::runEvents);
    }

    private void startRun(HttpCall call, ComponentType type, String componentId) {
        call.allowQuery(Set.of("wait", "stream"));
        boolean stream = call.queryFlag("stream", false);
        boolean wait = !stream && call.queryFlag("wait", false);
        RunRequestBody body = RunRequestBody.parse(call.jsonBody(), settings);
        String userId = SessionsApi.ownUser(call.principal(), body.userId());
        RunRequested request = acceptor.prepare(type, componentId, body, userId);
        RunAcceptor.IdempotencyKey key = idempotencyKey(call);
        backlog.admit();
        CompletableFuture<Void> finished = wait ? waiter.expect(request.runId()) : null;
        // Subscribed before the run is published, so the gateway's tail of runs.events sees all its events.
        Optional<LiveRunEvents.Subscription> live = stream ? liveEvents.subscribe(request.sessionId(), request.runId()) : Optional.empty();
        RunAcceptor.Accepted accepted;
        try {
            accepted = acceptor.accept(request, key);
        } catch (RuntimeException e) {
            waiter.forget(request.runId());
            live.ifPresent(LiveRunEvents.Subscription::close);
            throw e;
        }
        if (accepted.isNew()) {
            acceptedRuns.increment();
        }
        if (stream && accepted.isNew() && live.isPresent()) {
            pushEvents(call, request, live.get());
            return;
        }
        // An earlier request's run (same Idempotency-Key), or no tail running: read back from the topic.
        live.ifPresent(LiveRunEvents.Subscription::close);
        if (stream) {
            Instant startedAt = accepted.isNew() ? request.requestedAt() : find(accepted.runId()).createdAt();
            streamEvents(call, accepted.runId(), accepted.sessionId(), startedAt, RunEventReader.FROM_START);
            return;
        }
        if (!accepted.isNew() && wait) {
            waiter.forget(request.runId());
            finished = waiter.expect(accepted.runId());
            if (answered(find(accepted.runId()).status())) {
                finished.complete(null); // the earlier request's run is already done (or waits for its caller)
            }
        }
        if (!wait) {
            call.respond(202, Map.of("run_id", accepted.runId(), "session_id", accepted.sessionId(),
                    "status", accepted.isNew() ? "pending" : find(accepted.runId()).status().wireName()));
            return;
        }
        answerWhenFinished(call, accepted.runId(), accepted.sessionId(), finished);
    }

    /**
     * A new run's events, pushed as the gateway's tail reads them. A client that does not keep up (its
     * write queue full) is handed to the per-stream reading after the last event it was sent, which
     * waits for it; so is a stream the tail gives up.
     */
    private void pushEvents(HttpCall call, RunRequested request, LiveRunEvents.Subscription live) {
        EventStream events;
        try {
            events = call.openEventStream();
        } catch (RuntimeException e) {
            live.close();
            throw e;
        }
        Instant deadline = Instant.now().plus(settings.streamTimeout());
        events.endBy(deadline, live::close);
        AtomicLong lastSent = new AtomicLong(RunEventReader.FROM_START);
        Runnable readBack = () -> {
            ReadBack rest = new ReadBack(request, lastSent.get(), deadline, events);
            events.follow(rest, rest::close);
        };
        live.forward((id, event) -> {
            if (events.backlogged()) {
                readBack.run();
                return false;
            }
            boolean more = send(events, id, event) && !event.isFinal();
            lastSent.set(id);
            if (!more) {
                events.end();
            }
            return more;
        }, readBack);
    }

    /** One run event as a server-sent event: its id, its type as the event's name, its JSON as the data. */
    private static boolean send(EventStream stream, long id, RunEvent event) {
        return stream.send(id, event.type(), Json.toText(event));
    }

    /** The rest of a pushed stream, read from the topic after the last event sent (opened on the first step, off the tail's thread). */
    private final class ReadBack implements EventStream.Step {
        private final RunRequested request;
        private final long afterId;
        private final Instant deadline;
        private final EventStream events;
        private RunEventReader.Following following;

        ReadBack(RunRequested request, long afterId, Instant deadline, EventStream events) {
            this.request = request;
            this.afterId = afterId;
            this.deadline = deadline;
            this.events = events;
        }

        @Override
        public boolean next() {
            if (following == null) {
                following = reader.follow(request.sessionId(), request.runId(), request.requestedAt(), afterId, false, deadline);
            }
            return following.poll((id, event) -> send(events, id, event)).isEmpty();
        }

        void close() {
            if (following != null) {
                following.close();
            }
        }
    }

    /**
     * Answers a waiting request once its run has finished (or paused for its caller): 200 with the run,
     * or 202 with its status if the wait timed out first. The request waits holding no thread.
     */
    private void answerWhenFinished(HttpCall call, String runId, String sessionId, CompletableFuture<Void> finished) {
        CompletableFuture<Boolean> outcome = finished.thenApply(done -> true)
                .completeOnTimeout(false, settings.waitTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> false);
        call.continueWhen(outcome, (later, done) -> {
            try {
                RunRecord run = find(runId);
                Object answer = done ? view(run) : Map.of("run_id", runId, "session_id", sessionId, "status", run.status().wireName());
                later.respond(done ? 200 : 202, answer);
            } finally {
                waiter.forget(runId);
            }
        });
    }

    /** {@code Idempotency-Key}: scoped to the caller, and bound to this exact request (path and body). */
    private static RunAcceptor.IdempotencyKey idempotencyKey(HttpCall call) {
        Optional<String> key = call.header("Idempotency-Key");
        if (key.isEmpty()) {
            return null;
        }
        if (key.get().isEmpty() || key.get().length() > 255 || !key.get().chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw ApiException.badRequest("Idempotency-Key", "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        String scope = call.principal().admin() ? "admin" : "user:" + call.principal().userId();
        byte[] path = call.requestPath().getBytes(StandardCharsets.UTF_8);
        byte[] body = call.bodyBytes();
        byte[] request = new byte[path.length + 1 + body.length];
        System.arraycopy(path, 0, request, 0, path.length);
        System.arraycopy(body, 0, request, path.length + 1, body.length);
        return new RunAcceptor.IdempotencyKey(scope, key.get(), ApiKeys.hash(new String(request, StandardCharsets.ISO_8859_1)));
    }

    /**
     * {@code GET /v1/runs/{id}/events}: the run's events as server-sent events, from the start or after
     * {@code Last-Event-ID}, live or replayed, whichever gateway and worker.
     */
    private void runEvents(HttpCall call) {
        call.allowQuery(Set.of("last_event_id"));
        RunRecord run = accessibleRun(call);
        String runId = run.runId();
        Optional<String> last = call.header("Last-Event-ID").or(() -> call.query("last_event_id"));
        long afterId = last.isPresent() ? eventId(last.get()) : RunEventReader.FROM_START;
        streamEvents(call, runId, run.sessionId(), run.createdAt(), afterId);
    }

    private static long eventId(String text) {
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("Last-Event-ID", "Last-Event-ID must be the id of an event of this run");
    }

    private void streamEvents(HttpCall call, String runId, String sessionId, Instant startedAt, long afterId) {
        boolean finished = find(runId).status().isFinished();
        RunEventReader.Following following = reader.follow(sessionId, runId, startedAt, afterId, finished, Instant.now().plus(settings.streamTimeout()));
        EventStream stream = call.openEventStream();
        stream.follow(() -> {
            Optional<RunEventReader.Reading> reading = following.poll((id, event) -> send(stream, id, event));
            reading.filter(r -> r.end() == RunEventReader.End.CAUGHT_UP_WITHOUT_FINAL).ifPresent(r -> sendStoredOutcome(stream, runId, sessionId, r));
            return reading.isEmpty();
        }, following::close);
    }

    /**
     * The topic no longer holds this run's events: the stored run is the last word. Its id comes
     * after every record read, so a client resuming after it skips nothing of this run.
     */
    private void sendStoredOutcome(EventStream stream, String runId, String sessionId, RunEventReader.Reading reading) {
        RunRecord run = find(runId);
        stream.send(reading.position(), run.status() == RunStatus.COMPLETED ? RunEvent.COMPLETED : RunEvent.FAILED,
                Json.toText(Json.object().put("run_id", runId).put("session_id", sessionId).put("replayed_from", "postgres")
                        .set("run", RunView.of(run))));
    }

    /**
     * Cancels a run that has not finished: a queued one is skipped, a running one has its model call
     * aborted, a paused one stops waiting (its request goes through its session's lane, where the
     * worker announces the cancellation and the runs parked behind it go on).
     */
    private void cancelRun(HttpCall call) {
        call.allowQuery(Set.of());
        RunRecord before = accessibleRun(call);
        String runId = before.runId();
        // A workflow's step in flight is cancelled with it (its model call is aborted), so no later step starts.
        boolean cancelled = database.inTransaction(c -> {
            boolean now = runs.finishUnsuccessfully(c, runId, RunStatus.CANCELLED, "cancelled by request");
            if (now) {
                runs.cancelUnfinishedChildren(c, runId, "cancelled with run " + runId);
            }
            return now;
        });
        RunRecord now = find(runId);
        if (!cancelled && now.status() != RunStatus.CANCELLED) {
            throw new ApiException(409, "run_finished", "run " + runId + " is already " + now.status().wireName(), null);
        }
        if (cancelled && before.status() == RunStatus.PAUSED) {
            database.withConnection(c -> pausedRuns.storedRequest(c, runId)).ifPresent(acceptor::resend);
        }
        call.respond(200, RunView.of(now));
    }

    /**
     * {@code POST /v1/runs/{id}/continue}: the results of a paused run's external tools and the
     * approvals it waits for, all at once. Stored in one transaction; then the run goes through its
     * session's lane and resumes on whichever worker holds the session. With {@code wait=true}, the
     * answer waits until the run finishes or pauses again.
     */
    private void continueRun(HttpCall call) {
        call.allowQuery(Set.of("wait"));
        boolean wait = call.queryFlag("wait", false);
        RunRecord run = accessibleRun(call);
        ContinueRunBody body = ContinueRunBody.parse(call.jsonBody(), settings);
        RunRequested request;
        try {
            request = database.inTransaction(c -> pausedRuns.continueRun(c, run.runId(), null, body.toolResults(), body.approvals()));
        } catch (ContinuationRefusedException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case NOT_PAUSED -> new ApiException(409, "run_not_paused", e.getMessage(), null);
                case INVALID -> ApiException.badRequest(e.field(), e.getMessage());
            };
        }
        CompletableFuture<Void> finished = wait ? waiter.expect(run.runId()) : null;
        try {
            acceptor.resend(request);
        } catch (RuntimeException e) {
            waiter.forget(run.runId());
            throw e;
        }
        if (!wait) {
            call.respond(202, Map.of("run_id", run.runId(), "session_id", run.sessionId(), "status", find(run.runId()).status().wireName()));
            return;
        }
        answerWhenFinished(call, run.runId(), run.sessionId(), finished);
    }

    private void getRun(HttpCall call) {
        call.allowQuery(Set.of());
        call.respond(200, view(accessibleRun(call)));
    }

    /** Whether a waiting request has its answer: the run finished, or paused for its caller. */
    private static boolean answered(RunStatus status) {
        return status.isFinished() || status == RunStatus.PAUSED;
    }

    /** The run's view; a paused run's with the calls it waits on and when its pause times out. */
    private com.fasterxml.jackson.databind.node.ObjectNode view(RunRecord run) {
        // With its children: a team's member runs, a workflow's step runs.
        com.fasterxml.jackson.databind.node.ObjectNode view = RunView.withChildren(run, database.withConnection(c -> runs.children(c, run.runId())));
        if (run.status() == RunStatus.PAUSED) {
            database.withConnection(c -> pausedRuns.pause(c, run.runId())).ifPresent(pause -> {
                view.set("pending_tool_calls", Json.MAPPER.valueToTree(pause.pendingToolCalls()));
                view.put("paused_at", pause.pausedAt().toString());
                view.put("pause_expires_at", pause.expiresAt().toString());
            });
        }
        return view;
    }

    /** The run named in the path, if the caller may see it; another user's run answers 404 like a missing one. */
    private RunRecord accessibleRun(HttpCall call) {
        String runId = call.path("run_id");
        if (!Ids.isValid(runId)) {
            throw ApiException.badRequest("run_id", "run_id is not a valid id");
        }
        RunRecord run = find(runId);
        if (!call.principal().canAccess(run.userId())) {
            throw ApiException.notFound("run " + runId + " not found");
        }
        return run;
    }

    private RunRecord find(String runId) {
        return database.withConnection(c -> runs.find(c, runId))
                .orElseThrow(() -> ApiException.notFound("run " + runId + " not found"));
    }
}
