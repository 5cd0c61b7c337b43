package org.banyan.samples.finance.loan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * The arithmetic of a joint loan without a ledger, so that it can run long sequences: thousands of tries of up to
 * 300 repayments, many of them single units (where rounding decides everything), checked against exact rational
 * shares. {@link JointLoanProperties} checks the same contract end to end, on a real ledger, with fewer steps.
 */
class JointLoanSplitProperties {
    private static final int LENDERS_MAX = 6;

    /** A loan's shares (the lead bank's first) and principal. */
    record Terms(List<Integer> shares, long principal) {
        Loan activeLoan() {
            long[] funded = Apportionment.split(principal, shares.stream().map(BigInteger::valueOf).toList());
            List<Loan.Lender> lenders = new ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                lenders.add(new Loan.Lender("Bank" + i, shares.get(i), funded[i], 0, true));
            }
            return new Loan("L", "borrower", "Bank0", "Bank0", principal, principal, Loan.ACTIVE, 0, lenders);
        }
    }

    @Provide
    Arbitrary<Terms> terms() {
        Arbitrary<Long> principals = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(10_000, 1_000_000)),
                Tuple.of(1, Arbitraries.longs().between(10_000, Long.MAX_VALUE)));
        return Combinators.combine(ShareVectors.ofUpTo(LENDERS_MAX), principals).as(Terms::new);
    }

    /** Repayment sizes: mostly 1 to 3 units (as -1 to -3), sometimes thousandths of the outstanding, or all of it. */
    @Provide
    Arbitrary<List<Integer>> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.integers().between(-3, -1)),
                Tuple.of(4, Arbitraries.integers().between(1, 999)),
                Tuple.of(1, Arbitraries.just(1000)))
                .list().ofMinSize(1).ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 1000)
    void receiptsStayWithinRoundingOfTheSharesAndEndExactlyAtTheFundedAmounts(
            @ForAll("terms") Terms terms, @ForAll("sizes") List<Integer> sizes) {
        Loan loan = terms.activeLoan();
        int unitStreak = 0;
        for (int size : sizes) {
            if (loan.outstanding() == 0) {
                break;
            }
            // Negative sizes are units; positive ones are thousandths of the outstanding.
            long amount = size < 0 ? Math.min(-size, loan.outstanding())
                    : Math.max(1, BigInteger.valueOf(loan.outstanding()).multiply(BigInteger.valueOf(size))
                            .divide(BigInteger.valueOf(1000)).longValueExact());
            long[] parts = loan.split(amount);
            assertThat(Arrays.stream(parts).min().orElseThrow()).as("the least part").isNotNegative();
            assertThat(sum(parts)).isEqualTo(amount);
            loan = loan.repaid(amount, parts);
            checkReceipts(loan);
            unitStreak = amount <= 3 ? unitStreak + 1 : 0;
            Statistics.label("unit streaks").collect(unitStreak >= 20 ? "20 or more units in a row" : "shorter");
        }
        if (loan.outstanding() == 0) {
            assertThat(loan.state()).isEqualTo(Loan.REPAID);
            for (Loan.Lender lender : loan.lenders()) {
                assertThat(lender.received()).as("received by %s", lender.bank()).isEqualTo(lender.funded());
            }
        }
        Statistics.label("loans").collect(loan.outstanding() == 0 ? "repaid in full" : "still active");
        Statistics.label("loans").coverage(coverage -> {
            coverage.check("repaid in full").count(n -> n > 0);
            coverage.check("still active").count(n -> n > 0);
        });
        Statistics.label("unit streaks").coverage(coverage ->
                coverage.check("20 or more units in a row").count(n -> n > 0));
    }

    @Property(tries = 2000)
    void partsAreTheirExactQuotasRoundedDownOrUpAndSumToTheAmount(
            @ForAll @IntRange(min = 0) int amountSeed, @ForAll boolean huge,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1000) Integer> weightSeeds) {
        long amount = huge ? Long.MAX_VALUE - amountSeed : amountSeed;
        // Weights of up to about 2^83, as the repayment split produces (an amount times an amount).
        List<BigInteger> weights = weightSeeds.stream()
                .map(seed -> BigInteger.valueOf(seed).shiftLeft(seed % 64).multiply(BigInteger.valueOf(seed)))
                .toList();
        BigInteger total = weights.stream().reduce(BigInteger.ZERO, BigInteger::add);
        if (total.signum() == 0 && amount > 0) {
            return;
        }
        long[] parts = Apportionment.split(amount, weights);
        assertThat(sum(parts)).isEqualTo(amount);
        for (int i = 0; i < parts.length; i++) {
            BigInteger[] quota = total.signum() == 0 ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}
                    : BigInteger.valueOf(amount).multiply(weights.get(i)).divideAndRemainder(total);
            long floor = quota[0].longValueExact();
            long ceiling = quota[1].signum() == 0 ? floor : floor + 1;
            assertThat(parts[i]).as("part %d of %d by %s", i, amount, weights).isBetween(floor, ceiling);
        }
    }

    /**
     * Receipts add up to what was repaid, none passes what its lender funded, and each stays within rounding of its
     * exact share: {@code −(lenders − 1) < received − funded × repaid / principal < 1}.
     */
    private static void checkReceipts(Loan loan) {
        BigInteger principal = BigInteger.valueOf(loan.principal());
        BigInteger lowest = principal.multiply(BigInteger.valueOf(1 - loan.lenders().size()));
        long received = 0;
        for (Loan.Lender lender : loan.lenders()) {
            assertThat(lender.received()).as("received by %s", lender.bank()).isBetween(0L, lender.funded());
            BigInteger drift = BigInteger.valueOf(lender.received()).multiply(principal)
                    .subtract(BigInteger.valueOf(lender.funded()).multiply(BigInteger.valueOf(loan.repaid())));
            assertThat(drift).as("drift of %s after %d repaid, scaled by the principal", lender, loan.repaid())
                    .isGreaterThan(lowest).isLessThan(principal);
            received += lender.received();
        }
        assertThat(received).isEqualTo(loan.repaid());
        assertThat(loan.outstanding()).isEqualTo(loan.principal() - loan.repaid()).isNotNegative();
    }

    private static long sum(long[] parts) {
        long sum = 0;
        for (long part : parts) {
            sum = Math.addExact(sum, part);
        }
        return sum;
    }
}
