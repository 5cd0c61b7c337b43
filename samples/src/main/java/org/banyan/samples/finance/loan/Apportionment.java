package org.banyan.samples.finance.loan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a whole amount into whole parts in proportion to weights, exactly: each party first gets the floor of its
 * exact part, then the units left over (fewer than the number of parties) go one each to the largest remainders
 * (Hamilton's method). Ties go to the party listed first, so the result depends on nothing but the arguments.
 *
 * <p>Weights are {@link BigInteger}s because the products involved (an amount in minor units times another) do
 * not fit in a {@code long}.
 */
final class Apportionment {
    private Apportionment() {}

    /**
     * The parts of {@code amount}, in the order of {@code weights}: they sum to {@code amount}, and each is the floor
     * or the ceiling of {@code amount × weight / Σ weights} — so a party of weight 0 gets 0, and no party gets more
     * than its exact part rounded up.
     *
     * @param amount not negative
     * @param weights not negative, not all 0 unless {@code amount} is 0
     */
    static long[] split(long amount, List<BigInteger> weights) {
        check(amount >= 0, "negative amount %d", amount);
        BigInteger total = BigInteger.ZERO;
        for (BigInteger weight : weights) {
            check(weight.signum() >= 0, "negative weight %s", weight);
            total = total.add(weight);
        }
        long[] parts = new long[weights.size()];
        if (amount == 0) {
            return parts;
        }
        check(total.signum() > 0, "%d to split over weights that are all 0", amount);
        BigInteger[] remainders = new BigInteger[weights.size()];
        long given = 0;
        for (int i = 0; i < parts.length; i++) {
            BigInteger[] exact = BigInteger.valueOf(amount).multiply(weights.get(i)).divideAndRemainder(total);
            parts[i] = exact[0].longValueExact();
            remainders[i] = exact[1];
            given += parts[i];
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            byRemainder.add(i);
        }
        // A stable sort keeps the listed order among equal remainders.
        byRemainder.sort(Comparator.comparing((Integer i) -> remainders[i]).reversed());
        long leftOver = amount - given;
        check(leftOver >= 0 && leftOver < parts.length, "%d units left over among %d parties", leftOver, parts.length);
        for (int k = 0; k < leftOver; k++) {
            int party = byRemainder.get(k);
            // The remainders sum to leftOver × total, so more than leftOver of them are non-zero: a unit never goes
            // to a party whose exact part was whole (in particular, never to one of weight 0).
            check(remainders[party].signum() > 0, "a left-over unit for party %d, whose part was exact", party);
            parts[party]++;
        }
        return parts;
    }

    /** A broken invariant is a bug in this contract: fail the transaction loudly rather than write wrong sums. */
    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
