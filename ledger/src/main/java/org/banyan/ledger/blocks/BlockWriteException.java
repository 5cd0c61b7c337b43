package org.banyan.ledger.blocks;

/**
 * Writing or indexing a block failed (for example the disk is full). The partial record was truncated
 * away, so the store still ends at the last durable block and the node can retry later. If even the
 * truncation failed the store refuses further appends until it is reopened, which repairs the tail.
 */
public final class BlockWriteException extends BlockStoreException {
    public BlockWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
