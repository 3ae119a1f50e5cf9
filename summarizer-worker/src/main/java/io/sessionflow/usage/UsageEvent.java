package io.sessionflow.usage;

import io.sessionflow.event.RunCompleted;
import io.sessionflow.event.RunFailed;
import io.sessionflow.store.usage.UsageKey;
import io.sessionflow.store.usage.UsageTotals;
import java.time.Instant;
import java.util.Optional;

/** One finished run as usage sees it: what it counts by, what it adds, and when it finished (its event time). */
record UsageEvent(String runId, UsageKey key, UsageTotals totals, Instant finishedAt) {

    static UsageEvent of(RunCompleted run) {
        long input = run.metrics() == null ? 0 : run.metrics().inputTokens();
        long output = run.metrics() == null ? 0 : run.metrics().outputTokens();
        return new UsageEvent(run.runId(), new UsageKey(orEmpty(run.userId()), run.componentType().wireName(), orEmpty(run.componentId()),
                orEmpty(run.model())), new UsageTotals(1, 0, input, output), run.completedAt());
    }

    /**
     * A failed run counts as a run and an error; a cancelled one is not counted: a cancel is the caller's
     * choice, not an error, and a cancelled run reports no tokens.
     */
    static Optional<UsageEvent> of(RunFailed run) {
        if (!"failed".equals(run.status())) {
            return Optional.empty();
        }
        return Optional.of(new UsageEvent(run.runId(), new UsageKey(orEmpty(run.userId()), run.componentType().wireName(),
                orEmpty(run.componentId()), ""), new UsageTotals(1, 1, 0, 0), run.failedAt()));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
