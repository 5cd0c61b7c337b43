package org.banyan.ledger;

import java.nio.file.Path;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.history.InMemoryHistoryStore;
import org.banyan.ledger.history.RocksDbHistoryStore;
import org.banyan.ledger.state.InMemoryStateStore;
import org.banyan.ledger.state.RocksDbStateStore;
import org.banyan.ledger.state.StateStore;

/**
 * How a {@link ChannelLedger} builds its stores.
 *
 * @param blockStore segment size and file access of the block store
 * @param stores which state and history implementations to use
 */
public record LedgerOptions(BlockStoreOptions blockStore, Stores stores) {

    /** Opens the derived stores of one channel in the directories the ledger gives. */
    public interface Stores {
        /** Opens (creating when absent) the channel's state store; the ledger closes it. */
        StateStore openState(Path directory);

        /** Opens (creating when absent) the channel's history store; the ledger closes it. */
        HistoryStore openHistory(Path directory);
    }

    /** RocksDB state and history: what a node runs. */
    public static final Stores ROCKSDB = new Stores() {
        @Override
        public StateStore openState(Path directory) {
            return RocksDbStateStore.open(directory);
        }

        @Override
        public HistoryStore openHistory(Path directory) {
            return RocksDbHistoryStore.open(directory);
        }
    };

    /** In-memory state and history, rebuilt by replaying the block store on every open: for tests and tools. */
    public static final Stores IN_MEMORY = new Stores() {
        @Override
        public StateStore openState(Path directory) {
            return new InMemoryStateStore();
        }

        @Override
        public HistoryStore openHistory(Path directory) {
            return new InMemoryHistoryStore();
        }
    };

    /** Default block store options with RocksDB state and history. */
    public static LedgerOptions defaults() {
        return new LedgerOptions(BlockStoreOptions.defaults(), ROCKSDB);
    }

    /** These options with other block store options. */
    public LedgerOptions withBlockStore(BlockStoreOptions options) {
        return new LedgerOptions(options, stores);
    }

    /** These options with other state and history implementations. */
    public LedgerOptions withStores(Stores newStores) {
        return new LedgerOptions(blockStore, newStores);
    }
}
