package io.sessionflow.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a run is addressed to, and so what its session is typed: a single agent, a team, or a workflow
 * (an ordered list of agent and team steps sharing one session; see {@code WorkflowDefinition}).
 */
public enum ComponentType {
    AGENT, TEAM, WORKFLOW;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ComponentType fromWireName(String name) {
        for (ComponentType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("component_type must be 'agent', 'team' or 'workflow', got '" + name + "'");
    }
}
