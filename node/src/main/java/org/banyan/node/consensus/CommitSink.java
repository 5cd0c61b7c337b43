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
}
