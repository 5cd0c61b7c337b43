package org.banyan.samples.finance.loan;

import java.util.List;

/**
 * A bank's clearing position across the joint loans it lends in (the answer of {@code loan:Position}; not
 * stored: it is summed from the loans themselves, so it cannot disagree with them).
 *
 * @param received everything the bank has been credited from repayments, over all its loans, minor units
 * @param outstanding what borrowers still owe the bank on its ACTIVE loans (funded less received), minor units
 * @param loans every loan it lends in, proposed ones included, by loan ID
 */
public record Position(String bank, long received, long outstanding, List<LoanPosition> loans) {
    /** The bank's part of one loan. */
    public record LoanPosition(String loanId, String state, long funded, long received) {}
}
