package io.sessionflow.gateway.reprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import io.sessionflow.store.reprocess.ReprocessFilter;
import io.sessionflow.store.reprocess.ReprocessJob;
import io.sessionflow.store.reprocess.ReprocessStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v1/reprocess}, {@code GET /v1/reprocess/{job_id}}, {@code POST /v1/reprocess/{job_id}/cancel}:
 * batch re-derivation of summaries and contexts, or of users' memories and profiles. Admin keys only: a job spans users.
 */
public final class ReprocessApi {

    private static final Set<String> FILTER_FIELDS = Set.of("user_id", "component_id", "session_ids", "created_from", "created_to",
            "updated_from", "updated_to");

    private final Database database;
    private final ComponentRegistry components;
    private final Clock clock;
    private final ReprocessStore jobs = new ReprocessStore();

    private final String topicPrefix;

    public ReprocessApi(Database database, ComponentRegistry components, Clock clock, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        this.database = database;
        this.components = components;
        this.clock = clock;
    }

    public void register(Router router) {
        router.route("POST", "/v1/reprocess", this::start);
        router.route("GET", "/v1/reprocess", this::list);
        router.route("GET", "/v1/reprocess/{job_id}", this::get);
        router.route("POST", "/v1/reprocess/{job_id}/cancel", this::cancel);
    }

    private void start(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of());
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("kind", "filter", "prompt_version"));
        String kind = JsonFields.requiredText(body, "kind");
        if (!List.of("summaries", "context", "both", JobRunner.MEMORIES).contains(kind)) {
            throw ApiException.badRequest("kind", "kind must be 'summaries', 'context', 'both' or 'memories'");
        }
        String promptVersion = JsonFields.optionalText(body, "prompt_version", 64);
        if (promptVersion != null && kind.equals(JobRunner.MEMORIES)) {
            // Memories carry no prompt label to set: a rebuild always extracts with the memory worker's current prompt.
            throw ApiException.badRequest("prompt_version", "prompt_version does not apply to memories: they are rebuilt with the "
                    + "memory worker's current prompt");
        }
        ReprocessFilter filter = filter(body.get("filter"));
        String jobId = UUID.randomUUID().toString();
        Instant created = clock.instant();
        database.inTransaction(c -> {
            long total = 0;
            if (kind.equals(JobRunner.MEMORIES)) {
                total = jobs.countUsers(c, filter, created, Eligibility.memoryComponents(components));
            } else {
                for (Map.Entry<ReprocessStore.Candidate, Long> group : jobs.countByComponent(c, filter, created).entrySet()) {
                    total += group.getValue() * Eligibility.targets(components, kind, group.getKey().sessionType(),
                            group.getKey().componentId()).size();
                }
            }
            jobs.create(c, jobId, kind, filter, promptVersion, (int) total, created, topicPrefix);
            return null;
        });
        call.respond(202, view(database.withConnection(c -> jobs.find(c, jobId)).orElseThrow()));
    }

    /** The newest jobs first, each as {@code GET /v1/reprocess/{job_id}} shows it. */
    private void list(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of("limit"));
        int limit = call.queryInt("limit", 20, 1, 100);
        var items = Json.MAPPER.createArrayNode();
        database.withConnection(c -> {
            for (String jobId : jobs.recentJobIds(c, limit)) {
                jobs.find(c, jobId).ifPresent(job -> items.add(view(job)));
            }
            return null;
        });
        call.respond(200, java.util.Map.of("items", items));
    }

    private void get(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of());
        call.respond(200, view(find(call.path("job_id"))));
    }

    private void cancel(HttpCall call) {
        requireAdmin(call);
        call.allowQuery(Set.of());
        String jobId = call.path("job_id");
        find(jobId);
        database.withConnection(c -> jobs.cancel(c, jobId));
        call.respond(200, view(find(jobId)));
    }

    private ReprocessJob find(String jobId) {
        if (!Ids.isValid(jobId)) {
            throw ApiException.badRequest("job_id", "job_id is not a valid id");
        }
        return database.withConnection(c -> jobs.find(c, jobId)).orElseThrow(() -> ApiException.notFound("job " + jobId + " not found"));
    }

    private ReprocessFilter filter(JsonNode node) {
        if (node == null || node.isNull()) {
            return new ReprocessFilter(null, null, null, null, null, null, null);
        }
        ObjectNode filter;
        try {
            filter = JsonFields.object(node, FILTER_FIELDS);
        } catch (ApiException e) {
            throw ApiException.badRequest("filter" + (e.field() == null ? "" : "." + e.field()), "filter: " + e.getMessage());
        }
        List<String> sessionIds = null;
        JsonNode ids = filter.get("session_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray() || ids.size() > 100_000) {
                throw ApiException.badRequest("filter.session_ids", "filter.session_ids must be an array of at most 100000 ids");
            }
            sessionIds = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.isTextual() || !Ids.isValid(id.asText())) {
                    throw ApiException.badRequest("filter.session_ids", "filter.session_ids must hold only valid session ids");
                }
                sessionIds.add(id.asText());
            }
        }
        return new ReprocessFilter(id(filter, "user_id"), id(filter, "component_id"), sessionIds, time(filter, "created_from"),
                time(filter, "created_to"), time(filter, "updated_from"), time(filter, "updated_to"));
    }

    private static String id(ObjectNode filter, String field) {
        try {
            return JsonFields.optionalId(filter, field);
        } catch (ApiException e) {
            throw ApiException.badRequest("filter." + field, "filter." + e.getMessage());
        }
    }

    private static Instant time(ObjectNode filter, String field) {
        JsonNode node = filter.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("filter." + field, "filter." + field + " must be an ISO-8601 time like 2026-01-31T12:00:00Z");
        }
    }

    private static void requireAdmin(HttpCall call) {
        if (!call.principal().admin()) {
            throw new ApiException(403, "forbidden", "reprocessing jobs need an admin key", null);
        }
    }

    /** The job as the API shows it: counts, the rate so far (sessions/s) and the time left at that rate. */
    private ObjectNode view(ReprocessJob job) {
        long finished = job.done() + job.failed();
        Instant end = job.finishedAt() != null ? job.finishedAt() : clock.instant();
        double seconds = Math.max(0.001, Duration.between(job.createdAt(), end).toMillis() / 1000.0);
        double rate = finished / seconds;
        long left = Math.max(0, job.total() - finished);
        ObjectNode view = Json.object()
                .put("job_id", job.jobId())
                .put("kind", job.kind())
                .put("status", job.status())
                .put("prompt_version", job.promptVersion())
                .put("total", job.total())
                .put("done", job.done())
                .put("failed", job.failed())
                .put("queued", job.queued())
                .put("published_all", job.publishedAll())
                .put("rate_per_s", Math.round(rate * 10) / 10.0);
        if (job.status().equals(ReprocessJob.RUNNING) && rate > 0) {
            view.put("eta_seconds", Math.round(left / rate));
        } else {
            view.putNull("eta_seconds");
        }
        view.set("filter", Json.MAPPER.valueToTree(job.filter()));
        view.put("created_at", job.createdAt().toString());
        view.put("finished_at", job.finishedAt() == null ? null : job.finishedAt().toString());
        return view;
    }
}
