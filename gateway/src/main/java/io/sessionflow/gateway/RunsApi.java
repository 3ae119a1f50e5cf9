package io.sessionflow.gateway;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.event.RunRequested;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.store.Database;
import io.sessionflow.store.RunRecord;
import io.sessionflow.store.RunStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code POST /v1/agents/{id}/runs}, {@code POST /v1/teams/{id}/runs} and {@code GET /v1/runs/{id}}. */
final class RunsApi {

    private final RunAcceptor acceptor;
    private final CompletionWaiter waiter;
    private final Database database;
    private final GatewaySettings settings;
    private final RunStore runs = new RunStore();

    RunsApi(RunAcceptor acceptor, CompletionWaiter waiter, Database database, GatewaySettings settings) {
        this.acceptor = acceptor;
        this.waiter = waiter;
        this.database = database;
        this.settings = settings;
    }

    void register(Router router) {
        router.route("POST", "/v1/agents/{agent_id}/runs", call -> startRun(call, ComponentType.AGENT, call.path("agent_id")));
        router.route("POST", "/v1/teams/{team_id}/runs", call -> startRun(call, ComponentType.TEAM, call.path("team_id")));
        router.route("GET", "/v1/runs/{run_id}", this::getRun);
    }

    private void startRun(HttpCall call, ComponentType type, String componentId) throws InterruptedException {
        call.allowQuery(Set.of("wait"));
        boolean wait = call.queryFlag("wait", false);
        RunRequestBody body = RunRequestBody.parse(call.jsonBody(), settings);
        String userId = SessionsApi.ownUser(call.principal(), body.userId());
        RunRequested request = acceptor.prepare(type, componentId, body, userId);
        CompletableFuture<Void> finished = wait ? waiter.expect(request.runId()) : null;
        try {
            acceptor.accept(request);
            if (wait && awaitQuietly(finished)) {
                call.respond(200, RunView.of(find(request.runId())));
                return;
            }
            call.respond(202, Map.of("run_id", request.runId(), "session_id", request.sessionId(),
                    "status", wait ? find(request.runId()).status().wireName() : "pending"));
        } finally {
            if (wait) {
                waiter.forget(request.runId());
            }
        }
    }

    private boolean awaitQuietly(CompletableFuture<Void> finished) throws InterruptedException {
        try {
            finished.get(settings.waitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    private void getRun(HttpCall call) {
        call.allowQuery(Set.of());
        String runId = call.path("run_id");
        if (!Ids.isValid(runId)) {
            throw ApiException.badRequest("run_id", "run_id is not a valid id");
        }
        RunRecord run = find(runId);
        if (!call.principal().canAccess(run.userId())) {
            throw ApiException.notFound("run " + runId + " not found"); // another user's run: no existence leaks
        }
        call.respond(200, RunView.of(run));
    }

    private RunRecord find(String runId) {
        return database.withConnection(c -> runs.find(c, runId))
                .orElseThrow(() -> ApiException.notFound("run " + runId + " not found"));
    }
}
