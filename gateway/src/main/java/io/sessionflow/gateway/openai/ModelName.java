package io.sessionflow.gateway.openai;

import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.gateway.http.ApiException;
import java.util.Objects;

/**
 * What the facade's {@code model} names: an agent ({@code personal-assistant}, or
 * {@code agent/personal-assistant}) or a team ({@code team/editorial-team}). A slash cannot occur in
 * an id, so the prefixed forms are never ambiguous.
 */
record ModelName(ComponentType type, String componentId) {

    static final String TEAM_PREFIX = "team/";
    static final String AGENT_PREFIX = "agent/";

    ModelName {
        Objects.requireNonNull(type, "null type");
        Objects.requireNonNull(componentId, "null component id");
    }

    static ModelName parse(String field, String model) {
        ComponentType type = model.startsWith(TEAM_PREFIX) ? ComponentType.TEAM : ComponentType.AGENT;
        String id = model.startsWith(TEAM_PREFIX) ? model.substring(TEAM_PREFIX.length())
                : model.startsWith(AGENT_PREFIX) ? model.substring(AGENT_PREFIX.length()) : model;
        if (!Ids.isValid(id)) {
            throw ApiException.badRequest(field, field + " must name an agent ('<agent id>' or 'agent/<agent id>') or a team ('team/<team id>')");
        }
        return new ModelName(type, id);
    }

    /** How a run's component is named back to clients. */
    static String of(ComponentType type, String componentId) {
        return type == ComponentType.TEAM ? TEAM_PREFIX + componentId : componentId;
    }
}
