package io.sessionflow.gateway.reprocess;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.ReprocessSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which targets (summary, context) a job's kind asks for, and whether a session's component keeps them;
 * for a memories job, which components keep memories.
 */
final class Eligibility {

    private Eligibility() {
    }

    static List<String> targetsOf(String kind) {
        return switch (kind) {
            case "summaries" -> List.of(ReprocessSession.SUMMARY);
            case "context" -> List.of(ReprocessSession.CONTEXT);
            default -> List.of(ReprocessSession.SUMMARY, ReprocessSession.CONTEXT);
        };
    }

    /** The components that keep memories, as "agent:id" / "team:id" (how {@code ReprocessStore#users} matches sessions). */
    static List<String> memoryComponents(ComponentRegistry components) {
        List<String> keys = new ArrayList<>();
        for (ComponentType type : ComponentType.values()) {
            for (ComponentDefinition component : components.all(type)) {
                if (component.updateMemoryOnRun()) {
                    keys.add(type.wireName() + ":" + component.id());
                }
            }
        }
        return keys;
    }

    /** The targets of {@code kind} that a session of this component has. */
    static List<String> targets(ComponentRegistry components, String kind, String sessionType, String componentId) {
        Optional<ComponentDefinition> component = components.find(ComponentType.fromWireName(sessionType), componentId);
        List<String> targets = new ArrayList<>();
        if (component.isEmpty()) {
            return targets;
        }
        for (String target : targetsOf(kind)) {
            boolean keeps = target.equals(ReprocessSession.SUMMARY) ? component.get().enableSessionSummaries() : component.get().sessionContext();
            if (keeps) {
                targets.add(target);
            }
        }
        return targets;
    }
}
