package io.sessionflow.store.usage;

import java.time.Instant;

/** One window's totals for one key, as stored in {@code usage_windows}. */
public record UsageWindow(Granularity granularity, Instant windowStart, UsageKey key, UsageTotals totals) {

    /** The window sizes usage is kept in. */
    public enum Granularity {
        HOUR(java.time.Duration.ofHours(1)), DAY(java.time.Duration.ofDays(1));

        private final java.time.Duration size;

        Granularity(java.time.Duration size) {
            this.size = size;
        }

        public java.time.Duration size() {
            return size;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Instant windowEnd() {
        return windowStart.plus(granularity.size());
    }
}
