package io.sessionflow.gateway.forget;

import io.sessionflow.gateway.store.UserErasures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v1/users/{user_id}/forget} and {@code GET /v1/erasures/{job_id}}: erasing everything
 * of a user, as a job (admin keys only: it is an operator's act, and a user key could not see the
 * job's effect on other services anyway). Asking again while the user's job runs answers that job;
 * asking after it finished starts one that finds nothing left.
 */
public final class ForgetApi {

    private final Database database;
    private final ForgetRunner runner;
    private final Clock clock;
    private final UserErasures erasures = new UserErasures();

    public ForgetApi(Database database, ForgetRunner runner, Clock clock) {
        this.database = database;
        this.runner = runner;
        this.clock = clock;
    }

    public void register(Router router) {
        router.route("POST", "/v1/users/{user_id}/forget", this::forget);
        router.route("GET", "/v1/erasures/{job_id}", this::get);
    }

    private void forget(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of());
        String userId = call.path("user_id");
        if (!Ids.isValid(userId)) {
            throw ApiException.badRequest("user_id", "user_id must be 1-128 letters, digits and . _ : @ -");
        }
        String jobId = database.inTransaction(c -> erasures.startOrJoin(c, UUID.randomUUID().toString(), userId, clock.instant()));
        runner.submit(jobId, userId);
        call.respond(202, view(find(jobId)));
    }

    private void get(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of());
        String jobId = call.path("job_id");
        if (!Ids.isValid(jobId)) {
            throw ApiException.badRequest("job_id", "job_id is not a valid id");
        }
        call.respond(200, view(find(jobId)));
    }

    private UserErasures.Job find(String jobId) {
        return database.withConnection(c -> erasures.find(c, jobId)).orElseThrow(() -> ApiException.notFound("job " + jobId + " not found"));
    }

    private static void requireAdmin(HttpCall call) {
        if (!call.principal().admin()) {
            throw new ApiException(403, "forbidden", "forgetting a user needs an admin key", null);
        }
    }

    private static ObjectNode view(UserErasures.Job job) {
        return Json.object().put("job_id", job.jobId()).put("status", job.status()).put("sessions_deleted", job.sessionsDeleted())
                .put("rows_deleted", job.rowsDeleted()).put("created_at", job.createdAt().toString())
                .put("finished_at", job.finishedAt() == null ? null : job.finishedAt().toString());
    }
}
