package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.auth.Principal;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.json.Json;
import io.sessionflow.session.SessionState;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.gateway.store.SessionMessages;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionFilter;
import io.sessionflow.gateway.store.SessionPurge;
import io.sessionflow.store.session.SessionStore;
import io.sessionflow.store.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The session API (Agno's get_session, get_sessions, rename_session, delete_session, and more).
 * A user-bound key only ever sees and changes that user's sessions: another user's session answers
 * 404 exactly like a missing one, so not even its existence leaks.
 */
final class SessionsApi {

    private static final int MAX_NAME_CHARS = 256;
    private static final int MAX_BULK_DELETE = 1000;
    private static final Set<String> LIST_PARAMS = Set.of("user_id", "session_type", "type", "component_id", "session_name",
            "from", "to", "start_timestamp", "end_timestamp", "updated_from", "updated_to", "updated_start_timestamp",
            "updated_end_timestamp", "page", "limit", "sort_by", "sort_order", "include");
    private static final Set<String> INCLUDABLE = Set.of("message_count");
    private static final Set<String> PAGE_PARAMS = Set.of("page", "limit", "sort_order");

    private final Database database;
    private final ComponentRegistry components;
    private final GatewaySettings settings;
    private final SessionStore sessions = new SessionStore();
    private final SnapshotStore snapshots = new SnapshotStore();
    private final RunStore runs = new RunStore();
    private final SessionMessages messages = new SessionMessages();
    private final SessionPurge purge = new SessionPurge();
    private final SessionDeletions deletions;

    SessionsApi(Database database, ComponentRegistry components, GatewaySettings settings, SessionDeletions deletions) {
        this.deletions = deletions;
        this.database = database;
        this.components = components;
        this.settings = settings;
    }

    void register(Router router) {
        router.route("GET", "/v1/sessions", this::list);
        router.route("POST", "/v1/sessions", this::create);
        router.route("DELETE", "/v1/sessions", this::deleteMany);
        router.route("POST", "/v1/sessions/purge", this::purge);
        router.route("GET", "/v1/sessions/{session_id}", this::get);
        router.route("PATCH", "/v1/sessions/{session_id}", this::patch);
        router.route("DELETE", "/v1/sessions/{session_id}", this::deleteOne);
        router.route("GET", "/v1/sessions/{session_id}/runs", this::listRuns);
        router.route("GET", "/v1/sessions/{session_id}/messages", this::listMessages);
    }

    private void list(HttpCall call) {
        call.allowQuery(LIST_PARAMS);
        Principal principal = call.principal();
        String userId = call.query("user_id").map(id -> validId("user_id", id)).orElse(null);
        if (!principal.admin()) {
            if (userId != null && !userId.equals(principal.userId())) {
                throw new ApiException(403, "forbidden", "a user key lists only its own sessions", "user_id");
            }
            userId = principal.userId();
        }
        // Agno's spellings are accepted beside ours (type, Unix-second timestamps); naming one thing twice is a 400.
        String type = either(call, "session_type", "type", call.queryChoice("session_type", null, List.of("agent", "team", "workflow")),
                call.queryChoice("type", null, List.of("agent", "team", "workflow")));
        Instant from = either(call, "from", "start_timestamp", call.queryInstant("from"), call.queryEpochSeconds("start_timestamp"));
        Instant to = either(call, "to", "end_timestamp", call.queryInstant("to"), call.queryEpochSeconds("end_timestamp"));
        requireOrdered(from, to, call.query("to").isPresent() ? "to" : "end_timestamp");
        Instant updatedFrom = either(call, "updated_from", "updated_start_timestamp", call.queryInstant("updated_from"),
                call.queryEpochSeconds("updated_start_timestamp"));
        Instant updatedTo = either(call, "updated_to", "updated_end_timestamp", call.queryInstant("updated_to"),
                call.queryEpochSeconds("updated_end_timestamp"));
        requireOrdered(updatedFrom, updatedTo, call.query("updated_to").isPresent() ? "updated_to" : "updated_end_timestamp");
        boolean withMessageCount = includes(call, "message_count");
        String name = call.query("session_name").orElse(null);
        if (name != null && name.length() > MAX_NAME_CHARS) {
            throw ApiException.badRequest("session_name", "session_name is longer than " + MAX_NAME_CHARS + " characters");
        }
        SessionFilter filter = new SessionFilter(userId, type == null ? null : ComponentType.fromWireName(type),
                call.query("component_id").map(id -> validId("component_id", id)).orElse(null), name, from, to,
                call.queryChoice("sort_by", "created_at", List.of("created_at", "updated_at")).equals("created_at")
                        ? SessionFilter.SortBy.CREATED_AT : SessionFilter.SortBy.UPDATED_AT,
                call.queryChoice("sort_order", "desc", List.of("asc", "desc")).equals("asc"),
                call.queryInt("page", 1, 1, 1_000_000), call.queryInt("limit", 20, 1, 100), updatedFrom, updatedTo);
        call.respond(200, database.withConnection(c -> {
            ArrayNode items = Json.MAPPER.createArrayNode();
            List<Session> found = sessions.list(c, filter);
            Map<String, Long> messageCounts = withMessageCount
                    ? messages.countBySessions(c, found.stream().map(Session::sessionId).toList()) : Map.of();
            for (Session session : found) {
                ObjectNode item = SessionView.listItem(session);
                if (withMessageCount) {
                    item.put("message_count", messageCounts.getOrDefault(session.sessionId(), 0L));
                }
                items.add(item);
            }
            return page(items, sessions.count(c, filter), filter.page(), filter.limit());
        }));
    }

    private void get(HttpCall call) {
        call.allowQuery(Set.of());
        String sessionId = call.path("session_id");
        call.respond(200, database.withConnection(c -> {
            Session session = visible(call.principal(), sessionId, sessions.find(c, validId("session_id", sessionId)));
            return SessionView.of(session, snapshots.findSummary(c, sessionId), snapshots.findContext(c, sessionId));
        }));
    }

    private void create(HttpCall call) {
        call.allowQuery(Set.of());
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("session_id", "user_id", "component_type", "component_id",
                "session_name", "session_state", "metadata"));
        String typeName = JsonFields.requiredText(body, "component_type");
        if (!typeName.equals("agent") && !typeName.equals("team") && !typeName.equals("workflow")) {
            throw ApiException.badRequest("component_type", "component_type must be 'agent', 'team' or 'workflow'");
        }
        ComponentType type = ComponentType.fromWireName(typeName);
        String componentId = validId("component_id", JsonFields.requiredText(body, "component_id"));
        ComponentDefinition component = components.find(type, componentId)
                .orElseThrow(() -> ApiException.badRequest("component_id", "unknown " + type.wireName() + " '" + componentId + "'"));
        String userId = ownUser(call.principal(), JsonFields.optionalId(body, "user_id"));
        String sessionId = JsonFields.optionalId(body, "session_id");
        String id = sessionId != null ? sessionId : UUID.randomUUID().toString();
        ObjectNode state = JsonFields.optionalObject(body, "session_state", settings.maxStateBytes());
        ObjectNode metadata = JsonFields.optionalObject(body, "metadata", settings.maxStateBytes());
        String name = JsonFields.optionalText(body, "session_name", MAX_NAME_CHARS);
        call.respond(201, database.inTransaction(c -> {
            if (!sessions.create(c, id, type, userId, component.id(), name, state != null ? state : component.sessionState(),
                    metadata != null ? metadata : Json.object())) {
                throw new ApiException(409, "session_exists", "session " + id + " already exists", "session_id");
            }
            return SessionView.of(sessions.find(c, id).orElseThrow(), java.util.Optional.empty(), java.util.Optional.empty());
        }));
    }

    private void patch(HttpCall call) {
        call.allowQuery(Set.of());
        String sessionId = call.path("session_id");
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("session_name", "session_state", "state_mode", "metadata"));
        String name = JsonFields.optionalText(body, "session_name", MAX_NAME_CHARS);
        ObjectNode state = JsonFields.optionalObject(body, "session_state", settings.maxStateBytes());
        ObjectNode metadata = JsonFields.optionalObject(body, "metadata", settings.maxStateBytes());
        String mode = JsonFields.optionalText(body, "state_mode", 16);
        if (mode != null && !mode.equals("merge") && !mode.equals("replace")) {
            throw ApiException.badRequest("state_mode", "state_mode must be 'merge' or 'replace'");
        }
        if (mode != null && state == null) {
            throw ApiException.badRequest("state_mode", "state_mode needs a session_state");
        }
        if (name == null && state == null && metadata == null) {
            throw ApiException.badRequest(null, "nothing to change: give session_name, session_state or metadata");
        }
        call.respond(200, database.inTransaction(c -> {
            Session session = visible(call.principal(), sessionId, sessions.findForUpdate(c, validId("session_id", sessionId)));
            ObjectNode newState = state == null ? null
                    : "replace".equals(mode) ? state : SessionState.merge(session.sessionState(), state);
            sessions.update(c, sessionId, name, newState, metadata);
            return SessionView.of(sessions.find(c, sessionId).orElseThrow(), snapshots.findSummary(c, sessionId),
                    snapshots.findContext(c, sessionId));
        }));
    }

    private void deleteOne(HttpCall call) {
        call.allowQuery(Set.of());
        String sessionId = call.path("session_id");
        call.respond(200, database.inTransaction(c -> {
            visible(call.principal(), sessionId, sessions.find(c, validId("session_id", sessionId)));
            List<String> deleted = sessions.delete(c, List.of(sessionId), call.principal().admin() ? null : call.principal().userId());
            return Map.of("deleted", deleted);
        }));
        deletions.deleted("api", 1);
    }

    private void deleteMany(HttpCall call) {
        call.allowQuery(Set.of());
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("session_ids"));
        JsonNode ids = body.get("session_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_BULK_DELETE) {
            throw ApiException.badRequest("session_ids", "session_ids must be an array of 1 to " + MAX_BULK_DELETE + " session ids");
        }
        Set<String> requested = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !Ids.isValid(id.asText())) {
                throw ApiException.badRequest("session_ids", "session_ids must hold only valid session ids");
            }
            requested.add(id.asText());
        }
        List<String> deleted = database.inTransaction(c ->
                sessions.delete(c, new ArrayList<>(requested), call.principal().admin() ? null : call.principal().userId()));
        deletions.deleted("api", deleted.size());
        List<String> notFound = requested.stream().filter(id -> !deleted.contains(id)).toList();
        call.respond(200, Map.of("deleted", deleted, "not_found", notFound));
    }

    /**
     * Deletes every session matching a filter (by user, by component, not updated since), admin keys
     * only, in batches of {@link SessionRetention#BATCH}, each its own transaction and each through the
     * same delete as by id, so tombstones are written. A session held by a run at that moment is
     * skipped, not waited for: purging again later takes it.
     */
    private void purge(HttpCall call) {
        call.allowQuery(Set.of());
        if (!call.principal().admin()) {
            throw new ApiException(403, "forbidden", "purging sessions needs an admin key", null);
        }
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("user_id", "component_id", "updated_before"));
        String userId = JsonFields.optionalId(body, "user_id");
        String componentId = JsonFields.optionalId(body, "component_id");
        String before = JsonFields.optionalText(body, "updated_before", 64);
        Instant updatedBefore = before == null ? null : HttpCall.instant("updated_before", before);
        if (userId == null && componentId == null && updatedBefore == null) {
            throw ApiException.badRequest(null, "a purge needs user_id, component_id or updated_before");
        }
        SessionPurge.Filter filter = new SessionPurge.Filter(userId, componentId, updatedBefore);
        long total = 0;
        while (true) {
            List<String> deleted = database.inTransaction(c -> purge.deleteBatch(c, sessions, filter, SessionRetention.BATCH));
            deletions.deleted("purge", deleted.size());
            total += deleted.size();
            if (deleted.size() < SessionRetention.BATCH) {
                break;
            }
        }
        call.respond(200, Map.of("deleted", total));
    }

    private void listRuns(HttpCall call) {
        call.allowQuery(PAGE_PARAMS);
        String sessionId = call.path("session_id");
        int page = call.queryInt("page", 1, 1, 1_000_000);
        int limit = call.queryInt("limit", 20, 1, 100);
        boolean newestFirst = call.queryChoice("sort_order", "desc", List.of("asc", "desc")).equals("desc");
        call.respond(200, database.withConnection(c -> {
            visible(call.principal(), sessionId, sessions.find(c, validId("session_id", sessionId)));
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (RunRecord run : runs.listBySession(c, sessionId, newestFirst, page, limit)) {
                items.add(RunView.of(run));
            }
            return page(items, runs.countBySession(c, sessionId), page, limit);
        }));
    }

    /**
     * The conversation as messages, oldest first unless asked otherwise, paged like the runs (a page
     * number keeps the page of a given message stable, since only completed runs count and they only
     * ever append).
     */
    private void listMessages(HttpCall call) {
        call.allowQuery(PAGE_PARAMS);
        String sessionId = call.path("session_id");
        int page = call.queryInt("page", 1, 1, 1_000_000);
        int limit = call.queryInt("limit", 50, 1, 500);
        boolean newestFirst = call.queryChoice("sort_order", "asc", List.of("asc", "desc")).equals("desc");
        call.respond(200, database.withConnection(c -> {
            visible(call.principal(), sessionId, sessions.find(c, validId("session_id", sessionId)));
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (SessionMessages.Message message : messages.page(c, sessionId, newestFirst, page, limit)) {
                ObjectNode item = message.message().deepCopy();
                item.put("run_id", message.runId()).put("run_index", message.runIndex())
                        .put("created_at", message.createdAt() == null ? null : message.createdAt().toString());
                items.add(item);
            }
            return page(items, messages.count(c, sessionId), page, limit);
        }));
    }

    /**
     * The session if the principal may see it; otherwise the same 404 as for a session that does not exist.
     * Callers look it up with the id checked by {@link #validId} first.
     */
    private static Session visible(Principal principal, String sessionId, Optional<Session> found) {
        return found.filter(session -> principal.canAccess(session.userId()))
                .orElseThrow(() -> ApiException.notFound("session " + sessionId + " not found"));
    }

    /** A user key acts for its own user: its user_id is stamped, and naming another is refused. */
    static String ownUser(Principal principal, String requested) {
        return principal.actingFor(requested);
    }

    /** The value given under one of two names for the same thing; both given is a 400 naming the second. */
    private static <T> T either(HttpCall call, String name, String alias, T value, T aliasValue) {
        if (call.query(name).isPresent() && call.query(alias).isPresent()) {
            throw ApiException.badRequest(alias, "give " + name + " or " + alias + ", not both");
        }
        return value != null ? value : aliasValue;
    }

    private static void requireOrdered(Instant from, Instant to, String field) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest(field, field + " must be after the range's start");
        }
    }

    /** Whether {@code include} (a comma-separated list of optional fields) names this field; unknown names are a 400. */
    private static boolean includes(HttpCall call, String field) {
        Optional<String> include = call.query("include");
        if (include.isEmpty()) {
            return false;
        }
        for (String name : include.get().split(",", -1)) {
            if (!INCLUDABLE.contains(name.trim())) {
                throw ApiException.badRequest("include", "include may name only " + INCLUDABLE);
            }
        }
        return List.of(include.get().split(",")).stream().map(String::trim).anyMatch(field::equals);
    }

    private static String validId(String field, String id) {
        if (!Ids.isValid(id)) {
            throw ApiException.badRequest(field, field + " must be 1-128 letters, digits and . _ : @ -");
        }
        return id;
    }

    private static ObjectNode page(ArrayNode items, long total, int page, int limit) {
        ObjectNode result = Json.object();
        result.set("items", items);
        return result.put("total", total).put("page", page).put("limit", limit);
    }
}
