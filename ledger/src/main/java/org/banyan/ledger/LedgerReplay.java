package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import org.banyan.ledger.blocks.BlockStore;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.state.StateStore;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Brings state and history up to the block store after a crash, each from its own savepoint + 1. The block
 * store is the truth; a derived store ahead of it means durable blocks were lost, and a replayed block whose
 * recorded commit hash is missing, unreadable or different from the replay's means the stores diverged
 * ({@link LedgerCorruptedException} naming the block).
 */
final class LedgerReplay {
    private final BlockStore blocks;
    private final StateStore state;
    private final HistoryStore history;

    LedgerReplay(BlockStore blocks, StateStore state, HistoryStore history) {
        this.blocks = blocks;
        this.state = state;
        this.history = history;
    }

    /** Returns the number of blocks replayed into state. */
    long replayState() {
        long from = checkedSavepoint("state", state.savepoint()) + 1;
        ByteString previousHash = from == 0 ? ByteString.EMPTY
                : CommitHash.recorded(blocks.block(from - 1).orElseThrow());
        long replayed = 0;
        for (Iterator<Block> it = blocks.blocksFrom(from); it.hasNext(); ) {
            Block block = it.next();
            long number = block.getHeader().getNumber();
            BlockUpdates updates = BlockUpdates.compute(block, state::get);
            ByteString hash = CommitHash.compute(previousHash, block, updates.stateUpdates());
            // Every stored block carries a commit hash (CommitHash.recorded throws when it does not), so the
            // check is never skipped: a replay that cannot be checked is as bad as one that fails the check.
            if (!CommitHash.recorded(block).equals(hash)) {
                throw new LedgerCorruptedException("block " + number + ": replay gives a different commit hash than"
                        + " the one recorded; state diverged from what was committed");
            }
            state.apply(number, updates.stateUpdates());
            previousHash = hash;
            replayed++;
        }
        return replayed;
    }

    /** Returns the number of blocks replayed into history. */
    long replayHistory() {
        long from = checkedSavepoint("history", history.savepoint()) + 1;
        long replayed = 0;
        for (Iterator<Block> it = blocks.blocksFrom(from); it.hasNext(); ) {
            Block block = it.next();
            history.apply(block.getHeader().getNumber(), BlockUpdates.history(block));
            replayed++;
        }
        return replayed;
    }

    private long checkedSavepoint(String store, long savepoint) {
        if (savepoint >= blocks.height()) {
            throw new LedgerCorruptedException(store + " savepoint " + savepoint + " is above the block store's"
                    + " last block " + (blocks.height() - 1) + ": durable blocks are missing from the block store");
        }
        return savepoint;
    }
}
