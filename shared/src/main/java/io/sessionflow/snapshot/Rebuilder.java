package io.sessionflow.snapshot;

import io.sessionflow.component.ComponentDefinition;
import java.util.Optional;

/** Rebuilds one session's derived data from its whole run history (batch reprocessing). */
@FunctionalInterface
public interface Rebuilder {

    /** @return empty when the session now carries {@code promptVersion}, or why it could not be rebuilt */
    Optional<String> rebuild(String sessionId, ComponentDefinition component, String promptVersion);
}
