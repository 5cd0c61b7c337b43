package org.banyan.ledger.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.banyan.ledger.storage.Savepoints;
import org.banyan.ledger.storage.StoreLock;

/**
 * The history database in memory: the reference model for property tests, and a store for tests of other
 * modules. Same semantics and argument checks as {@link RocksDbHistoryStore}; nothing persisted.
 *
 * <p><b>Threads.</b> One writer calls {@link #apply}; any number of threads read; each call sees whole blocks.
 */
public final class InMemoryHistoryStore implements HistoryStore {
    private final StoreLock lock = new StoreLock("in-memory history store");
    /** Per key its entries, oldest first; keys in {@link WrittenKey#ORDER} like RocksDB's. */
    private final NavigableMap<WrittenKey, List<HistoryEntry>> entriesByKey = new TreeMap<>(WrittenKey.ORDER);
    private long savepoint = Savepoints.NONE; // guarded by lock

    /** An empty store with savepoint -1. */
    public InMemoryHistoryStore() {}

    @Override
    public List<HistoryEntry> history(String namespace, String key, long afterBlock, int afterTx, int limit) {
        HistoryArguments.checkQuery(namespace, key, afterBlock, afterTx, limit);
        return lock.shared(() -> {
            List<HistoryEntry> entries = entriesByKey.getOrDefault(new WrittenKey(namespace, key), List.of());
            int from = firstAfter(entries, afterBlock, afterTx);
            return List.copyOf(entries.subList(from, Math.min(from + limit, entries.size())));
        });
    }

    @Override
    public List<WrittenKey> keys(String afterNamespace, String afterKey, int limit) {
        HistoryArguments.checkKeys(afterNamespace, afterKey, limit);
        return lock.shared(() -> entriesByKey.tailMap(new WrittenKey(afterNamespace, afterKey), false).keySet()
                .stream().limit(limit).toList());
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
                entriesByKey.computeIfAbsent(new WrittenKey(entry.namespace(), entry.key()), id -> new ArrayList<>())
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

    /** The index of the first entry after (afterBlock, afterTx) in a list sorted by (block, tx). */
    private static int firstAfter(List<HistoryEntry> entries, long afterBlock, int afterTx) {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (HistoryArguments.isAfter(entries.get(middle), afterBlock, afterTx)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** Drops the contents; later calls fail. */
    @Override
    public void close() {
        lock.close(entriesByKey::clear);
    }
}
