package org.banyan.ledger.state;

import java.util.List;
import java.util.Optional;
import org.banyan.ledger.storage.LengthPrefixedOrder;

/**
 * The world state of one channel: versioned key-values per chaincode namespace. Derived data — the block
 * store is the truth, and after a crash the ledger replays blocks above {@link #savepoint()}.
 *
 * <p>One writer (the committer) calls {@link #apply}; any number of threads may read concurrently. A
 * PostgreSQL implementation can come later; every implementation must pass the same contract tests.
 */
public interface StateStore extends AutoCloseable {
    /** The largest page {@link #range} returns; it bounds the memory one query holds. */
    int PAGE_SIZE_MAX = 100_000;
    /** The most updates one {@link #apply} takes; far above what a 100 MB block can carry. */
    int UPDATES_PER_BLOCK_MAX = 1_000_000;

    /** The current value of a key, or empty when it does not exist (never written, or deleted). */
    Optional<VersionedValue> get(String namespace, String key);

    /**
     * Keys in {@code [startKey, endKey)} of a namespace in ascending (UTF-8 byte) order. An empty
     * {@code endKey} means unbounded. At most {@code pageSizeMax} entries are returned; a non-empty bookmark
     * from a previous page resumes just after it. The page comes from one consistent view of the store.
     *
     * @throws IllegalArgumentException when the namespace is empty, an argument is null or not valid Unicode,
     *     or {@code pageSizeMax} is outside {@code [1, PAGE_SIZE_MAX]}
     */
    StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark);

    /**
     * Namespaces holding at least one key, strictly after {@code afterNamespace} (empty: from the first), at
     * most {@code limit} of them, in {@link LengthPrefixedOrder} (a shorter UTF-8 name first, then by bytes —
     * the order RocksDB keeps them in). Page through all of them by passing the last name of a page; a page
     * shorter than {@code limit} is the last. Each page comes from one consistent view of the store.
     *
     * @throws IllegalArgumentException when {@code afterNamespace} is null or not valid Unicode, or
     *     {@code limit} is outside {@code [1, PAGE_SIZE_MAX]}
     */
    List<String> namespaces(String afterNamespace, int limit);

    /**
     * Applies all updates of block {@code blockNumber} atomically, together with the savepoint. Each key
     * appears at most once, with a version of this block; an update whose metadata is {@code null} keeps the
     * key's existing metadata.
     *
     * @throws IllegalStateException when {@code blockNumber <= savepoint()}: a block is applied once, and
     *     replay after a crash starts at {@code savepoint() + 1}
     * @throws IllegalArgumentException when an update is malformed; nothing is applied
     */
    void apply(long blockNumber, List<StateUpdate> updates);

    /** The last block whose updates are applied, or -1 when none. */
    long savepoint();

    @Override
    void close();
}
