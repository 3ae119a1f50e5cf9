package io.sessionflow.gateway.reprocess;

/**
 * A token bucket: up to {@code perSecond} permits a second, with at most one second's worth saved
 * up. It keeps batch work from crowding out live runs.
 */
final class RateLimiter {

    private final double perSecond;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = Math.min(perSecond, 1);
    }

    /** Takes up to {@code wanted} permits without waiting. @return how many were granted */
    synchronized int take(int wanted) {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }
}
