package io.sessionflow.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The project's one retry policy: jittered exponential backoff, capped. Every layer that retries
 * takes its pauses from here, and says where it is made why it retries at all. Bounded because a
 * run that keeps failing must end as {@code failed} rather than hold its session forever (a layer
 * bounded by time or by partition ownership instead uses {@link #untilStopped}); jittered so that
 * workers retrying after the same outage do not hit the recovering service in lock-step.
 */
public record Backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    /**
     * Pauses for a loop that ends by itself (a deadline passes, the partition is handed back, the
     * thread is stopped) rather than after a number of tries.
     */
    public static Backoff untilStopped(Duration initialDelay, Duration maxDelay) {
        return new Backoff(Integer.MAX_VALUE, initialDelay, maxDelay);
    }

    /**
     * The pause before attempt {@code attempt + 1}, after {@code attempt} failed tries: the cap doubles
     * from {@code initialDelay} up to {@code maxDelay}, and the pause is drawn between half the cap and
     * the cap ("equal jitter": never much shorter than planned, never in lock-step).
     */
    public Duration delayAfter(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

}
