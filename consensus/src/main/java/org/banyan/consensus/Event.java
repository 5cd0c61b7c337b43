package org.banyan.consensus;

import java.util.List;

/** Inputs to {@link Replica#step}. Every event carries the caller's monotonic time; the core reads no clock. */
public sealed interface Event {
    /** Monotonic milliseconds (any epoch); never decreases between steps. */
    long nowMillis();

    /**
     * The first event: the safety state last persisted (or {@link SafetyState#initial()}), the uncommitted
     * blocks saved from {@link Actions#saveBlocks()} (any order; those not above the tip are ignored), the ledger
     * tip and the payload ids of the most recently committed blocks (so they are not ordered again).
     */
    record Started(long nowMillis, SafetyState recovered, List<Block> savedBlocks, CommittedTip tip,
            List<String> recentPayloadIds) implements Event {
        public Started {
            savedBlocks = List.copyOf(savedBlocks);
            recentPayloadIds = List.copyOf(recentPayloadIds);
        }
    }

    /** A message from an authenticated peer. */
    record MessageReceived(long nowMillis, ReplicaId from, Message message) implements Event {}

    /** A timer set by {@link Actions.SetTimer} expired. */
    record TimerFired(long nowMillis, TimerId timerId) implements Event {}

    /** A client submitted a payload to this replica. */
    record PayloadSubmitted(long nowMillis, Payload payload) implements Event {}
}
