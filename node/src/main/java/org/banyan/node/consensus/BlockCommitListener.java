package org.banyan.node.consensus;

import org.hyperledger.fabric.protos.common.Block;

/**
 * Told of each block once the channel's ledger holds it, on the ledger writer's thread (or the state-transfer
 * thread), in block order: to refresh cached chaincode definitions, count transactions by validation code, time
 * commits. Must be quick; an exception stops the channel's ledger writer like a ledger failure would.
 */
@FunctionalInterface
public interface BlockCommitListener {
    /**
     * @param block the block as committed, with its TRANSACTIONS_FILTER (each transaction's validation code)
     * @param commitNanos time spent validating the block and writing it to the ledger
     */
    void committed(Block block, long commitNanos);
}
