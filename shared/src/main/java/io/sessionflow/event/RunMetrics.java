package io.sessionflow.event;

/** Token counts reported by the model and where the time went. */
public record RunMetrics(long inputTokens, long outputTokens, long modelLatencyMs, long totalLatencyMs) {
}
