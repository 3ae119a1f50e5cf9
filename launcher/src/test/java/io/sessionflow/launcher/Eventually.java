package io.sessionflow.launcher;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that the asynchronous pipeline makes true, failing with a description after a bound. */
final class Eventually {

    private Eventually() {
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
