package org.banyan.ledger.blocks;

/** The RocksDB index could not be read or opened. The segments are unaffected; reopening rebuilds what is missing. */
public final class BlockIndexException extends BlockStoreException {
    public BlockIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
