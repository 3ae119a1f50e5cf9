package io.sessionflow.store.usage;

import java.util.Objects;

/**
 * What usage is counted by: a user ({@code ""} for anonymous runs), a component and a model ({@code ""}
 * for failed runs, which name none).
 */
public record UsageKey(String userId, String componentType, String componentId, String model) {

    public UsageKey {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(componentType, "componentType");
        Objects.requireNonNull(componentId, "componentId");
        Objects.requireNonNull(model, "model");
    }
}
