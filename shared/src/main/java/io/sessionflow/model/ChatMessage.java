package io.sessionflow.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One message of the conversation sent to a model. An assistant message may carry the tool calls it
 * asked for; a tool message is the result of one of them, answering its call id.
 */
public record ChatMessage(Role role, String content,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String toolCallId) {

    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Role fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "null role");
        Objects.requireNonNull(content, "null content");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages carry tool calls");
        }
        if ((role == Role.TOOL) != (toolCallId != null)) {
            throw new IllegalArgumentException("a tool message, and only one, answers a tool call id");
        }
    }

    public ChatMessage(Role role, String content) {
        this(role, content, List.of(), null);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    /** The assistant's turn that asked for tool calls, with what it said beside them. */
    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, toolCalls, null);
    }

    /** The result of the tool call {@code toolCallId}, as text for the model. */
    public static ChatMessage toolResult(String toolCallId, String result) {
        return new ChatMessage(Role.TOOL, result, List.of(), Objects.requireNonNull(toolCallId, "null tool call id"));
    }
}
