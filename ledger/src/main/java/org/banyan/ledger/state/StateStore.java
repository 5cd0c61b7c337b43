package org.banyan.ledger.state;

import java.util.List;
import java.util.Optional;

/**
 * The world state of one channel: versioned key-values per chaincode namespace. Derived data — the block
 * store is the truth, and after a crash the ledger replays blocks above {@link #savepoint()}.
 *
 * <p>One writer (the committer) calls {@link #apply}; any number of threads may read concurrently. A
 * PostgreSQL implementation can come later; every implementation must pass the same contract tests.
 */
public interface StateStore extends AutoCloseable {
    /** The current value of a key, or empty when it does not exist (never written, or deleted). */
    Optional<VersionedValue> get(String namespace, String key);

    /**
     * Keys in {@code [startKey, endKey)} of a namespace in ascending (UTF-8 byte) order. An empty
     * {@code endKey} means unbounded. At most {@code pageSizeMax} entries are returned; a non-empty bookmark
     * from a previous page resumes just after it.
     */
    StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark);

    /** Applies all updates of block {@code blockNumber} atomically, together with the savepoint. */
    void apply(long blockNumber, List<StateUpdate> updates);

    /** The last block whose updates are applied, or -1 when none. */
    long savepoint();

    @Override
    void close();
}
