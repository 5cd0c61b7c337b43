package org.banyan.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.history.WrittenKey;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateStore;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.ledger.storage.StorageException;

/**
 * Real stores (RocksDB by default) behind wrappers a test can arm: fail the next apply like a full disk, or
 * change what a block writes, as a buggy or damaged store would.
 */
final class TamperingStores implements LedgerOptions.Stores {
    private final LedgerOptions.Stores real;
    /** When set, the next state apply throws and clears it. */
    volatile boolean failNextStateApply;
    /** When set, the next history apply throws and clears it. */
    volatile boolean failNextHistoryApply;
    /** Applied to the state updates of every block before the real store sees them. */
    volatile UnaryOperator<List<StateUpdate>> stateTamper = UnaryOperator.identity();
    /** Applied to the history entries of every block before the real store sees them. */
    volatile UnaryOperator<List<HistoryEntry>> historyTamper = UnaryOperator.identity();

    TamperingStores(LedgerOptions.Stores real) {
        this.real = real;
    }

    LedgerOptions options() {
        return LedgerOptions.defaults().withStores(this);
    }

    static StorageException diskFull() {
        return new StorageException(StorageException.Kind.NO_SPACE, "write block: No space left on device", null);
    }

    /** {@code list} plus {@code extra}. */
    static <T> List<T> plus(List<T> list, T extra) {
        List<T> more = new ArrayList<>(list);
        more.add(extra);
        return more;
    }

    @Override
    public StateStore openState(Path directory) {
        StateStore store = real.openState(directory);
        return new StateStore() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                return store.get(namespace, key);
            }

            @Override
            public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
                return store.range(namespace, startKey, endKey, pageSizeMax, bookmark);
            }

            @Override
            public List<String> namespaces(String afterNamespace, int limit) {
                return store.namespaces(afterNamespace, limit);
            }

            @Override
            public void apply(long blockNumber, List<StateUpdate> updates) {
                if (failNextStateApply) {
                    failNextStateApply = false;
                    throw diskFull();
                }
                store.apply(blockNumber, stateTamper.apply(updates));
            }

            @Override
            public long savepoint() {
                return store.savepoint();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    @Override
    public HistoryStore openHistory(Path directory) {
        HistoryStore store = real.openHistory(directory);
        return new HistoryStore() {
            @Override
            public List<HistoryEntry> history(String namespace, String key, long afterBlock, int afterTx, int limit) {
                return store.history(namespace, key, afterBlock, afterTx, limit);
            }

            @Override
            public List<WrittenKey> keys(String afterNamespace, String afterKey, int limit) {
                return store.keys(afterNamespace, afterKey, limit);
            }

            @Override
            public void apply(long blockNumber, List<HistoryEntry> entries) {
                if (failNextHistoryApply) {
                    failNextHistoryApply = false;
                    throw diskFull();
                }
                store.apply(blockNumber, historyTamper.apply(entries));
            }

            @Override
            public long savepoint() {
                return store.savepoint();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
