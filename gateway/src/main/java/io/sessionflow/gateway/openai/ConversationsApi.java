package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.SessionDeletions;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.JsonFields;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.gateway.openai.store.ConversationBinding;
import io.sessionflow.gateway.openai.store.ConversationItems;
import io.sessionflow.json.Json;
import io.sessionflow.store.Database;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * OpenAI's Conversations API over sessions: a conversation is a session (the same state, history,
 * summary, context and memories), its items are the messages of its completed runs. A conversation
 * created without {@code metadata.model} is bound to an agent or team by its first response.
 */
final class ConversationsApi {

    private static final int MAX_METADATA_BYTES = 16 * 1024;

    private final Database database;
    private final ComponentRegistry components;
    private final SessionDeletions deletions;
    private final Turns turns;
    private final SessionStore sessions = new SessionStore();
    private final ConversationItems items = new ConversationItems();

    ConversationsApi(Database database, ComponentRegistry components, SessionDeletions deletions, Turns turns) {
        this.database = database;
        this.components = components;
        this.deletions = deletions;
        this.turns = turns;
    }

    void register(Router router) {
        router.route("POST", "/openai/v1/conversations", this::create);
        router.route("GET", "/openai/v1/conversations/{conversation_id}", this::retrieve);
        router.route("POST", "/openai/v1/conversations/{conversation_id}", this::update);
        router.route("DELETE", "/openai/v1/conversations/{conversation_id}", this::delete);
        router.route("GET", "/openai/v1/conversations/{conversation_id}/items", this::listItems);
    }

    private void create(HttpCall call) {
        call.allowQuery(Set.of());
        ObjectNode body = call.bodyBytes().length == 0 ? Json.object() : JsonFields.object(call.jsonBody(), Set.of("metadata", "items"));
        JsonNode initial = body.get("items");
        if (initial != null && !initial.isNull() && !(initial.isArray() && initial.isEmpty())) {
            throw ApiException.badRequest("items", "initial items are not supported yet: a conversation's items are the messages of its runs");
        }
        ObjectNode metadata = JsonFields.optionalObject(body, "metadata", MAX_METADATA_BYTES);
        metadata = metadata == null ? Json.object() : metadata;
        JsonNode model = metadata.get("model");
        ComponentType type = ComponentType.AGENT;
        String componentId = ConversationBinding.UNBOUND;
        ObjectNode state = Json.object();
        if (model != null && !model.isNull()) {
            if (!model.isTextual()) {
                throw ApiException.badRequest("metadata.model", "metadata.model must be a string naming an agent or a team");
            }
            ModelName name = ModelName.parse("metadata.model", model.asText());
            ComponentDefinition component = components.find(name.type(), name.componentId()).orElseThrow(() -> new ApiException(404,
                    "unknown_component", "unknown " + name.type().wireName() + " '" + name.componentId() + "'", "metadata.model"));
            type = name.type();
            componentId = component.id();
            state = component.sessionState();
        }
        String id = "conv_" + UUID.randomUUID().toString().replace("-", "");
        String userId = call.principal().actingFor(null);
        ComponentType boundType = type;
        String boundId = componentId;
        ObjectNode boundState = state;
        ObjectNode boundMetadata = metadata;
        Session session = database.inTransaction(c -> {
            sessions.create(c, id, boundType, userId, boundId, null, boundState, boundMetadata);
            return sessions.find(c, id).orElseThrow();
        });
        call.respond(200, view(session));
    }

    private void retrieve(HttpCall call) {
        call.allowQuery(Set.of());
        call.respond(200, view(accessible(call)));
    }

    /** Replaces the metadata, as OpenAI's update does. */
    private void update(HttpCall call) {
        call.allowQuery(Set.of());
        ObjectNode body = JsonFields.object(call.jsonBody(), Set.of("metadata"));
        ObjectNode metadata = JsonFields.optionalObject(body, "metadata", MAX_METADATA_BYTES);
        if (metadata == null) {
            throw ApiException.badRequest("metadata", "metadata is required");
        }
        String id = accessible(call).sessionId();
        call.respond(200, view(database.inTransaction(c -> {
            sessions.update(c, id, null, null, metadata);
            return sessions.find(c, id).orElseThrow();
        })));
    }

    private void delete(HttpCall call) {
        call.allowQuery(Set.of());
        String id = accessible(call).sessionId();
        List<String> deleted = database.inTransaction(c -> sessions.delete(c, List.of(id), call.principal().admin() ? null : call.principal().userId()));
        deletions.deleted("api", deleted.size());
        call.respond(200, Json.object().put("id", id).put("object", "conversation.deleted").put("deleted", !deleted.isEmpty()));
    }

    /** Cursor paging as OpenAI's: {@code after} an item id, {@code limit} 1-100 (20), {@code order} asc or desc (desc). */
    private void listItems(HttpCall call) {
        call.allowQuery(Set.of("after", "limit", "order", "include", "include[]"));
        String sessionId = accessible(call).sessionId();
        int limit = call.queryInt("limit", 20, 1, 100);
        boolean newestFirst = call.queryChoice("order", "desc", List.of("asc", "desc")).equals("desc");
        ObjectNode page = database.withConnection(c -> {
            ConversationItems.Cursor cursor = newestFirst ? ConversationItems.Cursor.AFTER_LAST : ConversationItems.Cursor.BEFORE_FIRST;
            if (call.query("after").isPresent()) {
                ItemView.ItemId after = ItemView.ItemId.parse("after", call.query("after").get());
                int runIndex = items.runIndex(c, sessionId, after.runId())
                        .orElseThrow(() -> ApiException.badRequest("after", "after must be the id of an item of this conversation"));
                cursor = new ConversationItems.Cursor(runIndex, after.turn());
            }
            List<ConversationItems.Item> found = items.page(c, sessionId, cursor, newestFirst, limit + 1);
            ArrayNode data = Json.MAPPER.createArrayNode();
            found.stream().limit(limit).forEach(item ->
                    data.add(ItemView.item(new ItemView.ItemId(item.runId(), item.turn()).text(), item.message())));
            ObjectNode result = Json.object().put("object", "list");
            result.set("data", data);
            result.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
            result.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
            return result.put("has_more", found.size() > limit);
        });
        call.respond(200, page);
    }

    private Session accessible(HttpCall call) {
        String id = call.path("conversation_id");
        if (!Ids.isValid(id)) {
            throw ApiException.badRequest("conversation_id", "conversation_id is not a valid id");
        }
        return turns.session(call.principal(), id, null);
    }

    private static ObjectNode view(Session session) {
        ObjectNode view = Json.object().put("id", session.sessionId()).put("object", "conversation")
                .put("created_at", session.createdAt().getEpochSecond());
        view.set("metadata", session.metadata());
        return view;
    }
}
