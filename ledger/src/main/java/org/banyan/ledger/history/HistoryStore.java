package org.banyan.ledger.history;

import java.util.List;

/**
 * Per key, the list of transactions that wrote it, oldest first (Fabric's history database). Values are
 * not copied here: a reader fetches them from the block store by (block, tx). Derived data, replayed from
 * the block store above {@link #savepoint()} after a crash. One writer, concurrent readers.
 */
public interface HistoryStore extends AutoCloseable {
    /** The most entries one {@link #history} call returns; it bounds the memory one query holds. */
    int LIMIT_MAX = 100_000;
    /** The most entries one {@link #apply} takes; far above what a 100 MB block can carry. */
    int ENTRIES_PER_BLOCK_MAX = 1_000_000;

    /** {@code afterBlock} that starts a history at its oldest entry. */
    long FROM_START = -1;
    /** {@code afterTx} that, with a block number, starts at the block's first transaction. */
    int FROM_START_TX = -1;

    /**
     * Writes of the key in ascending (block, tx) order, the oldest {@code limit} of them.
     *
     * @throws IllegalArgumentException when the namespace or key is empty or not valid Unicode, or
     *     {@code limit} is outside {@code [1, LIMIT_MAX]}
     */
    default List<HistoryEntry> history(String namespace, String key, int limit) {
        return history(namespace, key, FROM_START, FROM_START_TX, limit);
    }

    /**
     * Writes of the key strictly after (afterBlock, afterTx) in ascending (block, tx) order, at most
     * {@code limit}. Start with ({@link #FROM_START}, {@link #FROM_START_TX}); page through a history of any
     * length by passing the last entry's (block, tx); a page shorter than {@code limit} is the last.
     *
     * @throws IllegalArgumentException as {@link #history(String, String, int)}, and when {@code afterBlock}
     *     is below {@link #FROM_START} or {@code afterTx} below {@link #FROM_START_TX}
     */
    List<HistoryEntry> history(String namespace, String key, long afterBlock, int afterTx, int limit);

    /**
     * Keys with at least one entry, strictly after ({@code afterNamespace}, {@code afterKey}) in
     * {@link WrittenKey#ORDER}, at most {@code limit}. Start with ("", ""); page through every key by passing
     * the last key of a page; a page shorter than {@code limit} is the last. Each page comes from one
     * consistent view of the store.
     *
     * @throws IllegalArgumentException when an argument is null or not valid Unicode, or {@code limit} is
     *     outside {@code [1, LIMIT_MAX]}
     */
    List<WrittenKey> keys(String afterNamespace, String afterKey, int limit);

    /**
     * Records every write of block {@code blockNumber} atomically, together with the savepoint. Every entry
     * belongs to this block, and a (key, tx) appears at most once.
     *
     * @throws IllegalStateException when {@code blockNumber <= savepoint()}: a block is recorded once, and
     *     replay after a crash starts at {@code savepoint() + 1}
     * @throws IllegalArgumentException when an entry is malformed; nothing is recorded
     */
    void apply(long blockNumber, List<HistoryEntry> entries);

    /** The last block recorded, or -1 when none. */
    long savepoint();

    @Override
    void close();
}
