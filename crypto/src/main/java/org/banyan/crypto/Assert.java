package org.banyan.crypto;

/**
 * Always-on assertions for invariants of Banyan's own code (Java's {@code assert} is off by default). A
 * failure is a bug in Banyan, never bad input: bad input gets a typed error instead.
 */
public final class Assert {
    private Assert() {}

    /**
     * Throws {@link AssertionError} with the formatted message when the condition is false.
     *
     * @param condition the invariant that must hold
     * @param format a {@link String#format} pattern describing the state, evaluated only on failure
     * @param args the pattern's arguments
     */
    public static void that(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
