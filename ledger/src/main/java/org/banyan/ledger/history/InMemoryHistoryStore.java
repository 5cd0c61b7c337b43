package org.banyan.ledger.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.banyan.ledger.storage.Savepoints;
import org.banyan.ledger.storage.StoreLock;

/**
 * The history database in memory: the reference model for property tests, and a store for tests of other
 * modules. Same semantics and argument checks as {@link RocksDbHistoryStore}; nothing persisted.
 *
 * <p><b>Threads.</b> One writer calls {@link #apply}; any number of threads read; each call sees whole blocks.
 */
public final class InMemoryHistoryStore implements HistoryStore {
    private record KeyId(String namespace, String key) {}

    private final StoreLock lock = new StoreLock("in-memory history store");
    /** Per key its entries, oldest first; only looked up by key, never iterated. */
    private final Map<KeyId, List<HistoryEntry>> entriesByKey = new HashMap<>();
    private long savepoint = Savepoints.NONE; // guarded by lock

    /** An empty store with savepoint -1. */
    public InMemoryHistoryStore() {}

    @Override
    public List<HistoryEntry> history(String namespace, String key, int limit) {
        HistoryArguments.checkQuery(namespace, key, limit);
        return lock.shared(() -> {
            List<HistoryEntry> entries = entriesByKey.getOrDefault(new KeyId(namespace, key), List.of());
            return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
        });
    }

    @Override
    public void apply(long blockNumber, List<HistoryEntry> entries) {
        lock.exclusive(() -> {
            // Everything is checked before the first change, so a rejected block leaves no trace.
            HistoryArguments.checkBlock("in-memory history store", savepoint, blockNumber, entries);
            // Blocks arrive in increasing order, so appending a block's entries in tx order keeps every list
            // sorted by (block, tx).
            List<HistoryEntry> byTx = new ArrayList<>(entries);
            byTx.sort(Comparator.comparingInt(HistoryEntry::txNumber));
            for (HistoryEntry entry : byTx) {
                entriesByKey.computeIfAbsent(new KeyId(entry.namespace(), entry.key()), id -> new ArrayList<>())
                        .add(entry);
            }
            savepoint = blockNumber;
            return null;
        });
    }

    @Override
    public long savepoint() {
        return lock.shared(() -> savepoint);
    }

    /** Drops the contents; later calls fail. */
    @Override
    public void close() {
        lock.close(entriesByKey::clear);
    }
}
