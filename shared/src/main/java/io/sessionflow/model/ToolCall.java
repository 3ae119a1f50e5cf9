package io.sessionflow.model;

import java.util.Objects;

/**
 * A model's request to call one tool: the provider's call id (a tool result answers it by that id),
 * the tool's name and its arguments as the JSON text the model wrote (checked by whoever executes it).
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "null tool call id");
        Objects.requireNonNull(name, "null tool name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
