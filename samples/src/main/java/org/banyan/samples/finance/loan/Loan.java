package org.banyan.samples.finance.loan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One joint loan, as stored under {@code loan:<id>}.
 *
 * @param id the loan's name, chosen by the lead bank
 * @param borrower who owes the money, as the banks name it
 * @param servicingBank the MSP ID of the bank that collects the borrower's repayments and records them
 * @param leadBank the MSP ID of the bank that proposed the loan; a lender
 * @param principal what the lenders fund together, minor units
 * @param outstanding what the borrower still owes, minor units: the principal less every repayment
 * @param state PROPOSED (waiting for lenders to confirm), ACTIVE, REPAID
 * @param repayments how many repayments have been recorded; the trail numbers them 1, 2, ...
 * @param lenders the lead bank first, then the others by MSP ID; this order breaks ties when amounts are split
 */
public record Loan(String id, String borrower, String servicingBank, String leadBank, long principal,
                   long outstanding, String state, int repayments, List<Lender> lenders) {
    public static final String PROPOSED = "PROPOSED";
    public static final String ACTIVE = "ACTIVE";
    public static final String REPAID = "REPAID";

    /**
     * One bank's part of the loan. Its clearing position in this loan is {@code received}.
     *
     * @param shareBasisPoints its agreed share, in 1/10,000 of the principal
     * @param funded its part of the principal, minor units; the lenders' parts sum to the principal exactly
     * @param received its parts of the repayments so far, minor units; never more than {@code funded}
     * @param confirmed whether its administrator has agreed to the loan (the lead bank did, by proposing it)
     */
    public record Lender(String bank, int shareBasisPoints, long funded, long received, boolean confirmed) {}

    public Loan {
        lenders = List.copyOf(lenders);
    }

    /** The MSP IDs of the lenders, in the loan's order. */
    public List<String> banks() {
        return lenders.stream().map(Lender::bank).toList();
    }

    public Optional<Lender> lender(String bank) {
        return lenders.stream().filter(lender -> lender.bank().equals(bank)).findFirst();
    }

    /** The sum of the repayments so far. */
    public long repaid() {
        return principal - outstanding;
    }

    /** The loan with {@code bank}'s confirmation; ACTIVE once every lender has confirmed. */
    Loan confirmedBy(String bank) {
        List<Lender> changed = lenders.stream().map(lender -> lender.bank().equals(bank)
                ? new Lender(bank, lender.shareBasisPoints(), lender.funded(), lender.received(), true)
                : lender).toList();
        boolean everyone = changed.stream().allMatch(Lender::confirmed);
        return new Loan(id, borrower, servicingBank, leadBank, principal, outstanding, everyone ? ACTIVE : PROPOSED,
                repayments, changed);
    }

    /**
     * Each lender's part of a repayment of {@code amount} (at most the outstanding), in the loan's order: the parts
     * sum to {@code amount}, none is negative, and none takes a lender past what it funded.
     *
     * <p>Splitting every repayment by the shares alone would let rounding pile up (a loan repaid one unit at a
     * time would send every unit to the same lender). Instead each lender is weighted by how far its receipts,
     * after this repayment, would fall short of its exact share of everything repaid: {@code funded × repaidAfter
     * / principal − received} (clamped at 0). So a lender's receipts stay within rounding of its share of the
     * repayments — above it by less than one unit, below it by less than one unit per other lender — and the
     * repayment that clears the loan pays every lender exactly what it is still owed.
     */
    long[] split(long amount) {
        long repaidAfter = repaid() + amount;
        BigInteger principalUnits = BigInteger.valueOf(principal);
        List<BigInteger> shortfalls = new ArrayList<>();
        for (Lender lender : lenders) {
            // Both sides scaled by the principal, so the comparison stays in whole numbers.
            BigInteger shortfall = BigInteger.valueOf(lender.funded()).multiply(BigInteger.valueOf(repaidAfter))
                    .subtract(BigInteger.valueOf(lender.received()).multiply(principalUnits));
            shortfalls.add(shortfall.max(BigInteger.ZERO));
        }
        return Apportionment.split(amount, shortfalls);
    }

    /** The loan after a repayment of {@code amount} split into {@code parts} (from {@link #split}). */
    Loan repaid(long amount, long[] parts) {
        List<Lender> changed = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < lenders.size(); i++) {
            Lender lender = lenders.get(i);
            long received = lender.received() + parts[i];
            if (parts[i] < 0 || received > lender.funded()) {
                throw new AssertionError("lender " + lender.bank() + " would receive " + parts[i] + ", having "
                        + lender.received() + " of " + lender.funded());
            }
            changed.add(new Lender(lender.bank(), lender.shareBasisPoints(), lender.funded(), received,
                    lender.confirmed()));
            sum += parts[i];
        }
        if (sum != amount || amount > outstanding) {
            throw new AssertionError("parts summing to " + sum + " for a repayment of " + amount + " with "
                    + outstanding + " outstanding");
        }
        long left = outstanding - amount;
        return new Loan(id, borrower, servicingBank, leadBank, principal, left, left == 0 ? REPAID : ACTIVE,
                repayments + 1, changed);
    }
}
