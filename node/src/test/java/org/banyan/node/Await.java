package org.banyan.node;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for tests that wait on other threads or processes. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes; returns its last answer. */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
