package org.banyan.ledger.history;

import java.util.List;

/**
 * Per key, the list of transactions that wrote it, oldest first (Fabric's history database). Values are
 * not copied here: a reader fetches them from the block store by (block, tx). Derived data, replayed from
 * the block store above {@link #savepoint()} after a crash. One writer, concurrent readers.
 */
public interface HistoryStore extends AutoCloseable {
    /** Writes of the key in ascending (block, tx) order, at most {@code limit} of them. */
    List<HistoryEntry> history(String namespace, String key, int limit);

    /** Records every write of block {@code blockNumber} atomically, together with the savepoint. */
    void apply(long blockNumber, List<HistoryEntry> entries);

    /** The last block recorded, or -1 when none. */
    long savepoint();

    @Override
    void close();
}
