package io.sessionflow.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.Ids;
import io.sessionflow.json.Json;
import java.util.List;

/**
 * A workflow as configured: a named, ordered list of steps, each an agent or a team, run one after
 * the other in one session typed {@code workflow}, each step's answer the next step's message.
 *
 * @param sessionState the default state, copied in only when the workflow's session is created
 */
public record WorkflowDefinition(String id, String description, ObjectNode sessionState, List<Step> steps) {

    /**
     * One step: exactly one of {@code agent} and {@code team}. {@code workflow} is read only to refuse it
     * with the reason (a step that is a workflow would nest sessions), rather than as an unknown field.
     *
     * @param name what the step is called in logs and errors; the component's id when omitted
     */
    public record Step(String name, String agent, String team, String workflow) {

        public ComponentType type() {
            return agent != null ? ComponentType.AGENT : ComponentType.TEAM;
        }

        public String componentId() {
            return agent != null ? agent : team;
        }

        public String displayName() {
            return name != null ? name : componentId();
        }
    }

    public WorkflowDefinition {
        Ids.requireId(id, "id");
        description = description == null ? "" : description;
        sessionState = sessionState == null ? Json.object() : sessionState.deepCopy();
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException(id + ": a workflow needs at least one step (steps: [{agent: ...}, {team: ...}])");
        }
        steps = List.copyOf(steps);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String where = id + ": step " + (i + 1);
            if (step == null) {
                throw new IllegalArgumentException(where + " is empty");
            }
            if (step.workflow() != null) {
                throw new IllegalArgumentException(where + " names workflow '" + step.workflow()
                        + "': a step is an agent or a team; workflows do not nest");
            }
            if ((step.agent() == null) == (step.team() == null)) {
                throw new IllegalArgumentException(where + " must name exactly one of agent and team");
            }
        }
    }

    /**
     * This workflow as the component its session and runs are addressed to: its default state, and none of
     * an agent's options (history, summaries, context, memories and tools belong to its steps).
     */
    ComponentDefinition asComponent() {
        return new ComponentDefinition(ComponentType.WORKFLOW, id, description, null, "", sessionState, false, false, 0, null,
                false, false, false, false, List.of());
    }

    /** The default state as a fresh copy. */
    @Override
    public ObjectNode sessionState() {
        return sessionState.deepCopy();
    }
}
