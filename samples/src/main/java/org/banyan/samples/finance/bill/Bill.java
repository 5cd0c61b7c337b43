package org.banyan.samples.finance.bill;

import java.util.ArrayList;
import java.util.List;

/**
 * One bill, as stored under {@code bill:<id>}. Parties are accounts of the digital currency: the account names
 * its owner and the bank that acts for it.
 *
 * @param id the bill's number
 * @param drawer the account that issued it
 * @param acceptor the MSP ID of the bank that promises to pay at maturity
 * @param payingAccount the acceptor's currency account it pays from at maturity (set when it accepts)
 * @param amount the face value, minor units
 * @param maturity the day the acceptor pays, ISO {@code yyyy-mm-dd} (UTC)
 * @param state ISSUED, ACCEPTED, REDEEMED
 * @param holder the account that holds it now
 * @param offer the open offer to sell it, if any
 * @param chain every change of holder, oldest first
 */
public record Bill(String id, String drawer, String acceptor, String payingAccount, long amount, String maturity,
                   String state, String holder, Offer offer, List<Endorsement> chain) {
    public static final String ISSUED = "ISSUED";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REDEEMED = "REDEEMED";

    /**
     * An offer by the holder to sell the bill to one buyer at a price, paid in currency.
     *
     * @param kind TRANSFER (a sale between holders) or DISCOUNT (a bank buys it before maturity)
     */
    public record Offer(String buyer, long price, String kind) {}

    /**
     * One change of holder.
     *
     * @param kind ENDORSE (no payment on the ledger), TRANSFER or DISCOUNT (paid in the same transaction)
     * @param price what was paid, 0 for ENDORSE
     */
    public record Endorsement(String from, String to, String kind, long price, String txId) {}

    Bill withOffer(Offer value) {
        return new Bill(id, drawer, acceptor, payingAccount, amount, maturity, state, holder, value, chain);
    }

    Bill accepted(String account) {
        return new Bill(id, drawer, acceptor, account, amount, maturity, ACCEPTED, holder, offer, chain);
    }

    Bill movedTo(String to, String kind, long price, String txId) {
        List<Endorsement> longer = new ArrayList<>(chain);
        longer.add(new Endorsement(holder, to, kind, price, txId));
        return new Bill(id, drawer, acceptor, payingAccount, amount, maturity, state, to, null, List.copyOf(longer));
    }

    Bill redeemed() {
        return new Bill(id, drawer, acceptor, payingAccount, amount, maturity, REDEEMED, holder, null, chain);
    }
}
