package org.banyan.ledger;

/**
 * A block cannot be committed because its content is unusable: a transaction marked VALID cannot be parsed.
 * Blocks reach the ledger validated, so this means a validator bug or a forged filter. Nothing was written.
 */
public final class InvalidBlockException extends RuntimeException {
    private final long blockNumber;

    public InvalidBlockException(long blockNumber, String message, Throwable cause) {
        super("block " + blockNumber + ": " + message, cause);
        this.blockNumber = blockNumber;
    }

    /** The number of the block that was not committed. */
    public long blockNumber() {
        return blockNumber;
    }
}
