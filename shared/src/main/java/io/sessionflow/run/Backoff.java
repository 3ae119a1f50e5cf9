package io.sessionflow.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded, jittered exponential backoff. Bounded because a run that keeps failing must end as
 * {@code failed} rather than hold its session forever; jittered so that workers retrying after the
 * same outage do not hit the recovering service in lock-step.
 */
public record Backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failed tries: full jitter up to the exponential cap. */
    public Duration delayAfter(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

}
