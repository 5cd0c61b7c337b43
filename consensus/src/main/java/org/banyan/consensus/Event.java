package org.banyan.consensus;

import java.util.List;

/** Inputs to {@link Replica#step}. Every event carries the caller's monotonic time; the core reads no clock. */
public sealed interface Event {
    /** Monotonic milliseconds (any epoch); never decreases between steps. */
    long nowMillis();

    /**
     * The first event: the safety state last persisted (or {@link SafetyState#initial()}), the uncommitted
     * blocks saved from {@link Actions#saveBlocks()} (any order; those not above the tip are ignored), the ledger
     * tip, and the most recently committed blocks, ascending and ending at the tip (up to
     * {@link ConsensusConfig#retainedBlocksMax()}; empty at genesis): the replica serves them to lagging peers
     * and does not order their payloads again.
     */
    record Started(long nowMillis, SafetyState recovered, List<Block> savedBlocks, CommittedTip tip,
            List<Block> recentBlocks) implements Event {
        public Started {
            savedBlocks = List.copyOf(savedBlocks);
            recentBlocks = List.copyOf(recentBlocks);
        }
    }

    /** A message from an authenticated peer. */
    record MessageReceived(long nowMillis, ReplicaId from, Message message) implements Event {}

    /** A timer set by {@link Actions.SetTimer} expired. */
    record TimerFired(long nowMillis, TimerId timerId) implements Event {}

    /** A client submitted a payload to this replica. */
    record PayloadSubmitted(long nowMillis, Payload payload) implements Event {}

    /**
     * Clients submitted several payloads to this replica: handled as many {@link PayloadSubmitted} but in one step, so
     * the ones for the leader travel in one forward message.
     */
    record PayloadsSubmitted(long nowMillis, List<Payload> payloads) implements Event {
        public PayloadsSubmitted {
            payloads = List.copyOf(payloads);
        }
    }
}
