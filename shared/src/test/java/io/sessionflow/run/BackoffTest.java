package io.sessionflow.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldPauseBetweenHalfTheDoublingCapAndTheCap() {
        Backoff backoff = new Backoff(10, Duration.ofMillis(100), Duration.ofMillis(1_000));

        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayAfter(1).toMillis()).isBetween(50L, 100L);
            assertThat(backoff.delayAfter(2).toMillis()).isBetween(100L, 200L);
            assertThat(backoff.delayAfter(4).toMillis()).isBetween(400L, 800L);
            assertThat(backoff.delayAfter(5).toMillis()).isBetween(500L, 1_000L);
            assertThat(backoff.delayAfter(60).toMillis()).isBetween(500L, 1_000L);
        }
    }

    @Test
    void shouldNeverRunOutOfTriesUntilStopped() {
        Backoff backoff = Backoff.untilStopped(Duration.ofMillis(500), Duration.ofSeconds(10));

        assertThat(backoff.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(backoff.delayAfter(1_000_000).toMillis()).isBetween(5_000L, 10_000L);
    }
}
