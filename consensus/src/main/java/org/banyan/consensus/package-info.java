/**
 * The deterministic BFT consensus core: Jolteon / DiemBFT v4 (two-chain commit, pipelined, timeout certificates).
 *
 * <p>{@link org.banyan.consensus.Replica#step} takes an {@link org.banyan.consensus.Event} and returns
 * {@link org.banyan.consensus.Actions}; there are no threads, clocks, randomness or IO in this package. Payloads
 * are opaque; signatures go through {@link org.banyan.consensus.VoteSigner} and
 * {@link org.banyan.consensus.SignatureVerifier}. See {@code docs/consensus.md}.
 */
package org.banyan.consensus;
