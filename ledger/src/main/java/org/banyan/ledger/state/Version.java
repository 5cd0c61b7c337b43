package org.banyan.ledger.state;

/**
 * Fabric's key version: the (block number, transaction number) of the transaction that last wrote the key.
 * Ordered by block, then transaction.
 */
public record Version(long blockNumber, int txNumber) implements Comparable<Version> {
    public Version {
        if (blockNumber < 0 || txNumber < 0) {
            throw new IllegalArgumentException("version (" + blockNumber + ", " + txNumber + ") is negative");
        }
    }

    @Override
    public int compareTo(Version other) {
        int byBlock = Long.compare(blockNumber, other.blockNumber);
        return byBlock != 0 ? byBlock : Integer.compare(txNumber, other.txNumber);
    }
}
