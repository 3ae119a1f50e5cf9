package io.sessionflow.gateway.reprocess;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void shouldStartWithOnePermitAndNotGrantMoreThanItHas() {
        RateLimiter limiter = new RateLimiter(1);

        assertThat(limiter.take(5)).isEqualTo(1);
        assertThat(limiter.take(5)).isZero();
    }

    @Test
    void shouldRefillAtItsRateAndSaveUpAtMostOneSecondsWorth() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(100);
        limiter.take(1);

        Thread.sleep(1500);

        assertThat(limiter.take(1000)).isEqualTo(100);
        assertThat(limiter.take(1000)).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldGrantAboutItsRateOverTime() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(200);
        long start = System.nanoTime();
        int granted = 0;
        while (System.nanoTime() - start < 500_000_000L) {
            granted += limiter.take(1000);
            Thread.sleep(5);
        }
        // 0.5 s at 200 a second, plus the first permit; a slow machine's late wake-ups only lose permits.
        assertThat(granted).isBetween(60, 102);
    }
}
