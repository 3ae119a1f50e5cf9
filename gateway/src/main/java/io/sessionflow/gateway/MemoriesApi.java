package io.sessionflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.Ids;
import io.sessionflow.event.MemoriesUpdated;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import io.sessionflow.store.memory.MemoryChanges;
import io.sessionflow.store.memory.MemoryOp;
import io.sessionflow.store.memory.MemoryPage;
import io.sessionflow.store.memory.MemoryQuery;
import io.sessionflow.store.memory.MemoryStore;
import io.sessionflow.store.memory.UserMemory;
import io.sessionflow.store.memory.UserProfile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A user's memories and profile by hand: list (paged, by topic and text), add, get, edit, delete, and
 * get or patch the profile. A user key sees only its own user: another user's memories answer 404
 * exactly like a memory that does not exist. Every change is announced as {@link MemoriesUpdated}.
 */
final class MemoriesApi {

    private static final int MAX_TOPICS = 20;
    private static final int MAX_TOPIC_CHARS = 64;

    private final Database database;
    private final Consumer<MemoriesUpdated> announce;
    private final Clock clock;
    private final MemoryStore memories = new MemoryStore();

    MemoriesApi(Database database, Consumer<MemoriesUpdated> announce, Clock clock) {
        this.database = database;
        this.announce = announce;
        this.clock = clock;
    }

    void register(Router router) {
        router.route("GET", "/v1/users/{user_id}/memories", this::list);
        router.route("POST", "/v1/users/{user_id}/memories", this::add);
        router.route("GET", "/v1/users/{user_id}/memories/{memory_id}", this::get);
        router.route("PATCH", "/v1/users/{user_id}/memories/{memory_id}", this::edit);
        router.route("DELETE", "/v1/users/{user_id}/memories/{memory_id}", this::delete);
        router.route("GET", "/v1/users/{user_id}/profile", this::getProfile);
        router.route("PATCH", "/v1/users/{user_id}/profile", this::patchProfile);
    }

    private void list(HttpCall call) {
        call.allowQuery(Set.of("topic", "q", "page", "limit"));
        String userId = user(call);
        String topic = call.query("topic").orElse(null);
        if (topic != null && topic.length() > MAX_TOPIC_CHARS) {
            throw ApiException.badRequest("topic", "topic is longer than " + MAX_TOPIC_CHARS + " characters");
        }
        String text = call.query("q").orElse(null);
        if (text != null && text.length() > MemoryOp.MAX_LENGTH) {
            throw ApiException.badRequest("q", "q is longer than " + MemoryOp.MAX_LENGTH + " characters");
        }
        storable("topic", topic);
        storable("q", text);
        MemoryQuery query = new MemoryQuery(topic, text, call.queryInt("page", 1, 1, 1_000_000), call.queryInt("limit", 20, 1, MemoryQuery.MAX_LIMIT));
        MemoryPage page = database.withConnection(c -> memories.list(c, userId, query));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.memories().forEach(memory -> items.add(view(memory)));
        ObjectNode result = Json.object();
        result.set("items", items);
        call.respond(200, result.put("total", page.total()).put("page", query.page()).put("limit", query.limit()));
    }

    private void add(HttpCall call) {
        call.allowQuery(Set.of());
        String userId = user(call);
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("memory", "topics"));
        MemoryOp op = op(() -> MemoryOp.add(memoryText(body, true), topics(body), null, null));
        MemoryChanges changes = database.inTransaction(c -> memories.applyByHand(c, userId, List.of(op), null, clock.instant()));
        announce(userId, changes);
        String id = changes.added().isEmpty() ? changes.updated().get(0) : changes.added().get(0);
        call.respond(changes.added().isEmpty() ? 200 : 201, view(find(userId, id)));
    }

    private void get(HttpCall call) {
        call.allowQuery(Set.of());
        call.respond(200, view(find(user(call), memoryId(call))));
    }

    private void edit(HttpCall call) {
        call.allowQuery(Set.of());
        String userId = user(call);
        String memoryId = memoryId(call);
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("memory", "topics"));
        if (!body.has("memory") && !body.has("topics")) {
            throw ApiException.badRequest(null, "nothing to change: give memory or topics");
        }
        String text = memoryText(body, false);
        List<String> topics = body.has("topics") ? topics(body) : null;
        MemoryChanges changes = database.inTransaction(c -> {
            UserMemory current = memories.find(c, userId, memoryId).orElseThrow(() -> notFound(memoryId));
            MemoryOp op = op(() -> MemoryOp.update(memoryId, text != null ? text : current.memory(), topics != null ? topics : current.topics(),
                    null, null));
            return memories.applyByHand(c, userId, List.of(op), null, clock.instant());
        });
        announce(userId, changes);
        call.respond(200, view(find(userId, memoryId)));
    }

    private void delete(HttpCall call) {
        call.allowQuery(Set.of());
        String userId = user(call);
        String memoryId = memoryId(call);
        MemoryChanges changes = database.inTransaction(c -> memories.applyByHand(c, userId, List.of(MemoryOp.delete(memoryId)), null,
                clock.instant()));
        if (changes.deleted().isEmpty()) {
            throw notFound(memoryId);
        }
        announce(userId, changes);
        call.respond(200, Map.of("deleted", changes.deleted()));
    }

    private void getProfile(HttpCall call) {
        call.allowQuery(Set.of());
        String userId = user(call);
        call.respond(200, view(database.withConnection(c -> memories.findProfile(c, userId)).orElse(UserProfile.empty(userId))));
    }

    /** The body is a JSON merge patch (RFC 7386) of the profile: a field set to null is removed. */
    private void patchProfile(HttpCall call) {
        call.allowQuery(Set.of());
        String userId = user(call);
        ObjectNode patch = JsonFields.object(call.jsonBody(), Set.of("name", "preferences", "facts"));
        if (patch.isEmpty()) {
            throw ApiException.badRequest(null, "nothing to change: give name, preferences or facts");
        }
        patch.fieldNames().forEachRemaining(field -> io.sessionflow.event.StorableText.check(field, patch.get(field)).ifPresent(flaw -> {
            throw ApiException.badRequest(field, flaw.message());
        }));
        UserProfile profile = database.inTransaction(c -> {
            try {
                return memories.patchProfile(c, userId, patch, clock.instant());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(fieldOf(patch), e.getMessage());
            }
        });
        announce.accept(MemoriesUpdated.profileChanged(userId, profile.version(), profile.updatedAt()));
        call.respond(200, view(profile));
    }

    /** The path's user, if the caller may see it: a user key naming another user gets the same 404 as a missing memory. */
    private static String user(HttpCall call) {
        String userId = call.path("user_id");
        if (!Ids.isValid(userId)) {
            throw ApiException.badRequest("user_id", "user_id must be 1-128 letters, digits and . _ : @ -");
        }
        if (!call.principal().canAccess(userId)) {
            throw ApiException.notFound("user " + userId + " not found");
        }
        return userId;
    }

    private static String memoryId(HttpCall call) {
        String memoryId = call.path("memory_id");
        if (!Ids.isValid(memoryId)) {
            throw ApiException.badRequest("memory_id", "memory_id is not a valid id");
        }
        return memoryId;
    }

    private UserMemory find(String userId, String memoryId) {
        return database.withConnection(c -> memories.find(c, userId, memoryId)).orElseThrow(() -> notFound(memoryId));
    }

    private static ApiException notFound(String memoryId) {
        return ApiException.notFound("memory " + memoryId + " not found");
    }

    private static String memoryText(ObjectNode body, boolean required) {
        String text = required ? JsonFields.requiredText(body, "memory") : JsonFields.optionalText(body, "memory", MemoryOp.MAX_LENGTH);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw ApiException.badRequest("memory", "memory must not be blank");
        }
        if (text.strip().length() > MemoryOp.MAX_LENGTH) {
            throw ApiException.badRequest("memory", "memory is longer than " + MemoryOp.MAX_LENGTH + " characters");
        }
        return text;
    }

    private static List<String> topics(ObjectNode body) {
        JsonNode node = body.get("topics");
        List<String> topics = new ArrayList<>();
        if (node == null || node.isNull()) {
            return topics;
        }
        if (!node.isArray() || node.size() > MAX_TOPICS) {
            throw ApiException.badRequest("topics", "topics must be an array of at most " + MAX_TOPICS + " strings");
        }
        for (JsonNode topic : node) {
            if (!topic.isTextual() || topic.asText().isBlank() || topic.asText().length() > MAX_TOPIC_CHARS) {
                throw ApiException.badRequest("topics", "topics must hold non-blank strings of at most " + MAX_TOPIC_CHARS + " characters");
            }
            storable("topics", topic.asText());
            topics.add(topic.asText());
        }
        return topics;
    }

    private static void storable(String field, String text) {
        if (text != null) {
            io.sessionflow.event.StorableText.problem(text).ifPresent(problem -> {
                throw ApiException.badRequest(field, field + " " + problem);
            });
        }
    }

    private static MemoryOp op(java.util.function.Supplier<MemoryOp> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("memory", e.getMessage());
        }
    }

    private static String fieldOf(ObjectNode patch) {
        return patch.size() == 1 ? patch.fieldNames().next() : null;
    }

    private void announce(String userId, MemoryChanges changes) {
        if (!changes.isEmpty()) {
            announce.accept(changes.announcement(userId, clock.instant()));
        }
    }

    private static ObjectNode view(UserMemory memory) {
        ObjectNode view = Json.object().put("memory_id", memory.memoryId()).put("user_id", memory.userId()).put("memory", memory.memory());
        ArrayNode topics = view.putArray("topics");
        memory.topics().forEach(topics::add);
        return view.put("session_id", memory.sessionId()).put("run_id", memory.runId())
                .put("created_at", memory.createdAt().toString()).put("updated_at", memory.updatedAt().toString());
    }

    private static ObjectNode view(UserProfile profile) {
        ObjectNode view = Json.object().put("user_id", profile.userId());
        view.set("profile", profile.profile());
        return view.put("version", profile.version()).put("updated_at", profile.updatedAt() == null ? null : profile.updatedAt().toString());
    }
}
