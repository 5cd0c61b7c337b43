package org.banyan.ledger.blocks;

/**
 * The block offered to {@link BlockStore#append} does not extend the chain: its number is not the store's
 * height, its previous hash is not the hash of the last header, or its data hash does not match its data.
 * Nothing was written.
 */
public final class BlockRejectedException extends BlockStoreException {
    private final long blockNumber;

    public BlockRejectedException(long blockNumber, String message) {
        super("block " + blockNumber + " rejected: " + message, null);
        this.blockNumber = blockNumber;
    }

    /** The number the rejected block carries. */
    public long blockNumber() {
        return blockNumber;
    }
}
