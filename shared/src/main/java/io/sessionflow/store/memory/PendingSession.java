package io.sessionflow.store.memory;

import io.sessionflow.event.ComponentType;

/** A session of a user with runs that memory extraction has not read yet (those after {@code upToRunIndex}). */
public record PendingSession(String sessionId, ComponentType componentType, String componentId, int upToRunIndex) {
}
