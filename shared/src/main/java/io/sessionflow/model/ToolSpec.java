package io.sessionflow.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A tool as a model is told of it: a name, what it does, and a JSON schema for its arguments. */
public record ToolSpec(String name, String description, ObjectNode parameters) {
    public ToolSpec {
        Objects.requireNonNull(name, "null tool name");
        description = description == null ? "" : description;
        Objects.requireNonNull(parameters, "null parameters schema");
    }
}
