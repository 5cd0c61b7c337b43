package org.banyan.ledger;

import org.banyan.ledger.blocks.RecoveryReport;

/**
 * What {@link ChannelLedger#open} repaired.
 *
 * @param blockStore the block store's own repairs (torn tail, index)
 * @param stateBlocksReplayed blocks re-applied to the state store (from its savepoint + 1)
 * @param historyBlocksReplayed blocks re-applied to the history store
 */
public record LedgerRecovery(RecoveryReport blockStore, long stateBlocksReplayed, long historyBlocksReplayed) {
    /** True when nothing needed repair or replay. */
    public boolean clean() {
        return blockStore.clean() && stateBlocksReplayed == 0 && historyBlocksReplayed == 0;
    }

    /** One line for the node's log. */
    public String describe() {
        return blockStore.describe() + "; replayed " + stateBlocksReplayed + " blocks into state, "
                + historyBlocksReplayed + " into history";
    }
}
