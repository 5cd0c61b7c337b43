/**
 * A channel's ledger: the block store (the truth), the world state and the history index (both derived),
 * kept in agreement by {@link org.banyan.ledger.ChannelLedger} — commit appends the block durably first, then
 * applies its valid writes with the block number as savepoint, and opening replays whatever the derived stores
 * missed. {@link org.banyan.ledger.Ledgers} hosts several channels; {@link org.banyan.ledger.LedgerVerifier}
 * checks a ledger from its segment files without trusting the index.
 */
package org.banyan.ledger;
