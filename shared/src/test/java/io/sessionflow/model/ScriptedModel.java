package io.sessionflow.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A test double for the model only: answers {@code completeJson} with queued contents, or throws
 * queued {@link ModelException}s, and records what it was asked. Plain completion is refused: the
 * code under test must ask for structured output.
 */
public final class ScriptedModel implements ChatModel {

    public final List<List<ChatMessage>> prompts = new ArrayList<>();
    public final List<String> schemaNames = new ArrayList<>();
    public final List<ObjectNode> schemas = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();

    /** @param replies JSON contents (strings) or {@link ModelException}s, in the order they are answered */
    public ScriptedModel(Object... replies) {
        script.addAll(List.of(replies));
    }

    public ScriptedModel then(Object replyOrFailure) {
        script.addLast(replyOrFailure);
        return this;
    }

    public int calls() {
        return prompts.size();
    }

    @Override
    public String id() {
        return "openai:scripted";
    }

    @Override
    public ModelReply complete(List<ChatMessage> messages) {
        throw new AssertionError("structured output must use completeJson");
    }

    @Override
    public ModelReply completeJson(List<ChatMessage> messages, String schemaName, ObjectNode schema) {
        prompts.add(messages);
        schemaNames.add(schemaName);
        schemas.add(schema);
        Object next = script.pollFirst();
        if (next == null) {
            throw new AssertionError("the model was called more often than scripted");
        }
        if (next instanceof ModelException failure) {
            throw failure;
        }
        return new ModelReply((String) next, 10, 5);
    }
}
