/**
 * Runs the pure consensus core ({@code org.banyan.consensus.Replica}) inside the node: one
 * {@link org.banyan.node.consensus.ConsensusDriver} per channel owns the event-loop thread and the timers, the
 * {@link org.banyan.node.consensus.SafetyStore} fsyncs what the core asks to persist, and small ports
 * ({@link org.banyan.node.consensus.Transport}, {@link org.banyan.node.consensus.CommitSink}) connect it to the
 * network and the ledger. See {@code docs/node.md}, "Consensus driver".
 */
package org.banyan.node.consensus;
