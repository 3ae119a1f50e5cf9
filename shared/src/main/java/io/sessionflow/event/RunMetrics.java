package io.sessionflow.event;

/**
 * Token counts reported by the model and where the time went: waiting to start (accept → start),
 * the model call, the commit, and the whole (accept → completed).
 */
public record RunMetrics(long inputTokens, long outputTokens, long modelLatencyMs, long totalLatencyMs, long acceptToStartMs,
                         long commitMs) {

    public RunMetrics(long inputTokens, long outputTokens, long modelLatencyMs, long totalLatencyMs) {
        this(inputTokens, outputTokens, modelLatencyMs, totalLatencyMs, 0, 0);
    }
}
