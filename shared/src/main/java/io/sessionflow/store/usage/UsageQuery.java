package io.sessionflow.store.usage;

import java.time.Instant;

/**
 * A filter over {@code usage_windows}: every field but the granularity may be null (no filter). Windows
 * are chosen by their start: {@code from <= window_start < to}.
 */
public record UsageQuery(UsageWindow.Granularity granularity, String userId, String componentType, String componentId, String model,
                         Instant from, Instant to, int limit) {

    public static final int MAX_LIMIT = 5000;
}
