package org.banyan.ledger.storage;

/**
 * The savepoint rule shared by every derived store: blocks are applied in increasing order, each exactly
 * once.
 *
 * <p><b>Replay.</b> A store never silently ignores a block it already holds. After a crash the ledger reads
 * {@code savepoint()} and replays from {@code savepoint() + 1}; because the savepoint is written in the same
 * atomic batch as the block's data, a block is either wholly applied (and the savepoint says so) or not at
 * all. Applying a block at or below the savepoint therefore means the caller lost track of the savepoint,
 * which is a bug, reported as {@link IllegalStateException}. Gaps are allowed (a store may be enabled at a
 * later block), but the ledger applies every block, even one without writes, so its savepoint advances.
 */
public final class Savepoints {
    /** The savepoint of a store that holds no block yet. */
    public static final long NONE = -1;

    private Savepoints() {}

    /**
     * @param store names the store in the error
     * @throws IllegalArgumentException when {@code blockNumber} is negative
     * @throws IllegalStateException when {@code blockNumber <= savepoint}
     */
    public static void checkNext(String store, long savepoint, long blockNumber) {
        if (blockNumber < 0) {
            throw new IllegalArgumentException(store + ": block number " + blockNumber + " is negative");
        }
        if (blockNumber <= savepoint) {
            throw new IllegalStateException(store + ": block " + blockNumber + " is at or below the savepoint "
                    + savepoint + "; a block is applied once, and replay after a crash starts at savepoint + 1");
        }
    }
}
