package io.sessionflow.event;

import java.util.Locale;
import java.util.Objects;

/**
 * A tool call a paused run waits on: what the model asked for, and whether it waits for the call's
 * result (an external tool, executed by whoever continues the run) or for a human's approval (a tool
 * with {@code requires_confirmation}, executed by the worker once approved).
 */
public record PendingToolCall(String callId, String toolName, String arguments, Awaiting awaiting) {

    public enum Awaiting {
        RESULT, APPROVAL;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Awaiting fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public PendingToolCall {
        Objects.requireNonNull(callId, "call_id is required");
        Objects.requireNonNull(toolName, "tool_name is required");
        Objects.requireNonNull(awaiting, "awaiting is required");
        arguments = arguments == null ? "{}" : arguments;
    }
}
