package io.sessionflow.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A chat model: the conversation in, one answer out. Implementations are thread-safe. */
public interface ChatModel {

    /** The model spec, recorded with each run ({@code local}, {@code openai:gpt-4o-mini}, ...). */
    String id();

    ModelReply complete(List<ChatMessage> messages);

    /**
     * Like {@link #complete}, offering {@code tools}: the reply may ask for tool calls instead of
     * answering. The conversation may hold earlier tool calls and their results. Models that cannot
     * call tools say so when offered any.
     */
    default ModelReply complete(List<ChatMessage> messages, List<ToolSpec> tools) {
        if (tools.isEmpty()) {
            return complete(messages);
        }
        throw new UnsupportedOperationException(id() + " does not call tools");
    }

    /** {@link #stream} offering {@code tools}; only the answer's text is handed to {@code onDelta}. */
    default ModelReply stream(List<ChatMessage> messages, List<ToolSpec> tools, java.util.function.Consumer<String> onDelta) {
        if (tools.isEmpty()) {
            return stream(messages, onDelta);
        }
        ModelReply reply = complete(messages, tools);
        if (!reply.content().isEmpty()) {
            onDelta.accept(reply.content());
        }
        return reply;
    }

    /**
     * Like {@link #complete}, handing each piece of the answer to {@code onDelta} as the model
     * produces it; the reply holds the whole answer. Models that cannot stream hand it over whole.
     */
    default ModelReply stream(List<ChatMessage> messages, java.util.function.Consumer<String> onDelta) {
        ModelReply reply = complete(messages);
        onDelta.accept(reply.content());
        return reply;
    }

    /**
     * Asks for a JSON object that follows {@code schema} (structured output). The content comes back
     * as the model wrote it: callers validate it. Models that cannot do this say so.
     */
    default ModelReply completeJson(List<ChatMessage> messages, String schemaName, ObjectNode schema) {
        throw new UnsupportedOperationException(id() + " does not produce structured output");
    }
}
