package org.banyan.node.consensus;

import org.banyan.consensus.Actions;

/**
 * Receives a channel's committed blocks, in order, each commit extending the previous one. Called on the
 * driver's event-loop thread after the safety state is persisted and before the step's messages are sent; it
 * should hand off quickly. The ledger adapter (block with the commit certificate in its SIGNATURES metadata)
 * implements it.
 */
@FunctionalInterface
public interface CommitSink {
    void deliver(Actions.Commit commit);

    /**
     * The height up to which delivered blocks are durable. The driver keeps uncommitted-looking blocks above it in
     * the safety record, so that after a crash a block consensus committed but the ledger had not yet written is
     * still on this node. Unbounded for sinks that keep nothing.
     */
    default long durableHeight() {
        return Long.MAX_VALUE;
    }
}
