package io.sessionflow.gateway.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.event.StorableText;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import io.sessionflow.store.usage.UsageQuery;
import io.sessionflow.store.usage.UsageStore;
import io.sessionflow.store.usage.UsageTotals;
import io.sessionflow.store.usage.UsageWindow;
import io.sessionflow.store.usage.UsageWindow.Granularity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/usage}: runs, failed runs and tokens per user, component and model, in hourly or daily
 * windows, as the usage topology has counted them from the bus. A user key sees only its own usage.
 */
public final class UsageApi {

    private static final Set<String> PARAMS = Set.of("granularity", "user_id", "component_type", "component_id", "model", "from", "to",
            "limit");
    private static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_MODEL_CHARS = 200;

    private final Database database;
    private final UsageStore usage = new UsageStore();

    public UsageApi(Database database) {
        this.database = database;
    }

    public void register(Router router) {
        router.route("GET", "/v1/usage", this::list);
    }

    private void list(HttpCall call) {
        call.allowQuery(PARAMS);
        Granularity granularity = Granularity.valueOf(call.queryChoice("granularity", "hour", List.of("hour", "day"))
                .toUpperCase(Locale.ROOT));
        // An admin asks about anyone (or everyone); a user key about itself only (another user_id is a 403).
        String userId = call.principal().actingFor(call.query("user_id").map(id -> id("user_id", id)).orElse(null));
        String componentType = call.queryChoice("component_type", null, List.of("agent", "team"));
        String componentId = call.query("component_id").map(id -> id("component_id", id)).orElse(null);
        String model = call.query("model").orElse(null);
        if (model != null && (model.length() > MAX_MODEL_CHARS || StorableText.check("model", model).isPresent())) {
            throw ApiException.badRequest("model", "model must be at most " + MAX_MODEL_CHARS + " characters of text");
        }
        Instant from = call.queryInstant("from");
        Instant to = call.queryInstant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("to", "to must be after from");
        }
        int limit = call.queryInt("limit", DEFAULT_LIMIT, 1, UsageQuery.MAX_LIMIT);
        // One row more than asked tells whether there is more, without a count query.
        List<UsageWindow> windows = database.withConnection(c -> usage.find(c,
                new UsageQuery(granularity, userId, componentType, componentId, model, from, to, limit + 1)));
        boolean more = windows.size() > limit;
        List<UsageWindow> page = more ? windows.subList(0, limit) : windows;
        ArrayNode items = Json.MAPPER.createArrayNode();
        UsageTotals totals = UsageTotals.NONE;
        for (UsageWindow window : page) {
            items.add(view(window));
            totals = totals.plus(window.totals());
        }
        ObjectNode result = Json.object();
        result.put("granularity", granularity.wireName());
        result.set("items", items);
        result.set("totals", totals(Json.object(), totals));
        result.put("has_more", more);
        call.respond(200, result);
    }

    private static ObjectNode view(UsageWindow window) {
        ObjectNode view = Json.object();
        view.put("window_start", window.windowStart().toString());
        view.put("window_end", window.windowEnd().toString());
        view.put("user_id", window.key().userId().isEmpty() ? null : window.key().userId());
        view.put("component_type", window.key().componentType());
        view.put("component_id", window.key().componentId());
        view.put("model", window.key().model().isEmpty() ? null : window.key().model());
        return totals(view, window.totals());
    }

    private static ObjectNode totals(ObjectNode into, UsageTotals totals) {
        return into.put("runs", totals.runs()).put("failed_runs", totals.failedRuns()).put("input_tokens", totals.inputTokens())
                .put("output_tokens", totals.outputTokens());
    }

    private static String id(String field, String id) {
        if (!Ids.isValid(id)) {
            throw ApiException.badRequest(field, field + " must be 1-128 letters, digits and . _ : @ -");
        }
        return id;
    }
}
