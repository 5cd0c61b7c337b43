/**
 * Joint-loan clearing: two or more banks co-fund a loan with agreed shares; every repayment the servicing bank
 * collects is split among them exactly, each lender's position moves in the same transaction, and every key of the
 * loan carries a key-level endorsement policy that needs all the lenders' peers. See docs/finance.md.
 */
package org.banyan.samples.finance.loan;
