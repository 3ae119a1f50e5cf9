package io.sessionflow.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a run is addressed to: a single agent, or a team (whose session is typed {@code team}). */
public enum ComponentType {
    AGENT, TEAM;

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
        throw new IllegalArgumentException("component_type must be 'agent' or 'team', got '" + name + "'");
    }
}
