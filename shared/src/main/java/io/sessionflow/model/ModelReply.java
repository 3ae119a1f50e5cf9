package io.sessionflow.model;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer and the tokens it reported. A reply with tool calls asks for them to be executed
 * (several at once when the model calls in parallel); its content, often empty, is what it said beside them.
 */
public record ModelReply(String content, long inputTokens, long outputTokens, List<ToolCall> toolCalls) {
    public ModelReply {
        Objects.requireNonNull(content, "null content");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A plain answer, no tool calls. */
    public ModelReply(String content, long inputTokens, long outputTokens) {
        this(content, inputTokens, outputTokens, List.of());
    }

    public boolean callsTools() {
        return !toolCalls.isEmpty();
    }
}
