package org.banyan.samples.finance;

/**
 * Money and points as exact integers in minor units (cents, single points): no floating point anywhere, and
 * arithmetic that refuses to overflow instead of wrapping.
 */
public final class Amounts {
    private Amounts() {}

    /** A positive amount from its decimal text; anything else (zero, negative, fractional, too large) is refused. */
    public static long positive(String what, String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, what + " must be a whole number of minor units, not '" + text + "'");
        }
        if (value <= 0) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, what + " must be positive, not " + value);
        }
        return value;
    }

    /** {@code a + b}, refused when it would not fit. */
    public static long add(String what, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw Refusal.of(Refusal.CONFLICT, what + " would exceed " + Long.MAX_VALUE + " minor units");
        }
    }
}
