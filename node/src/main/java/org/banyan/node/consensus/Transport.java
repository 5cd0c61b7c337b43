package org.banyan.node.consensus;

import org.banyan.consensus.ReplicaId;

/**
 * Where a {@link ConsensusDriver} sends encoded consensus messages of its channel. Implementations must not block
 * (queue and drop when full) and may lose frames: the protocol retransmits what matters. Called only from the
 * driver's event-loop thread.
 */
@FunctionalInterface
public interface Transport {
    /** Queues {@code frame} (owned by the callee from now on) for replica {@code to}; never called with self. */
    void send(ReplicaId to, byte[] frame);

    /**
     * Whether replica {@code to} is known to be unreachable right now (its connection failed and is not back), a
     * hint for timers only: false when unknown.
     */
    default boolean unreachable(ReplicaId to) {
        return false;
    }
}
