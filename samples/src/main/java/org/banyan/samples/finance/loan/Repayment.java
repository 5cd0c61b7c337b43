package org.banyan.samples.finance.loan;

import java.util.SortedMap;

/**
 * One entry of a loan's clearing trail, as stored under {@code loan-trail:<loanId>:<sequence>}: a repayment the
 * servicing bank recorded, and how it was split.
 *
 * @param sequence 1 for the loan's first repayment, then 2, ...
 * @param txId the transaction that recorded it
 * @param timestamp the transaction's timestamp (the client's, which every endorser sees), ISO-8601 UTC
 * @param amount what the borrower repaid, minor units
 * @param outstanding what the borrower still owed afterwards, minor units
 * @param parts each lender's part by MSP ID, minor units; they sum to {@code amount}
 */
public record Repayment(String loanId, int sequence, String txId, String timestamp, long amount, long outstanding,
                        SortedMap<String, Long> parts) {}
