package org.banyan.ledger.blocks;

/**
 * Durable data is damaged somewhere other than a torn tail: a checksum mismatch followed by more records,
 * a broken hash link, a missing segment, or an index that points past the data. The store never truncates
 * good data to get past this; an operator restores the channel from a peer or a backup.
 */
public final class BlockStoreCorruptedException extends BlockStoreException {
    private final long blockNumber;
    private final String segment;
    private final long offset;

    /**
     * @param blockNumber the block expected at the damaged place, or -1 when not known
     * @param segment the segment file name, or empty
     * @param offset the byte offset of the damaged record in the segment, or -1
     */
    public BlockStoreCorruptedException(long blockNumber, String segment, long offset, String problem) {
        this(blockNumber, segment, offset, problem, null);
    }

    public BlockStoreCorruptedException(long blockNumber, String segment, long offset, String problem,
                                        Throwable cause) {
        super("block store corrupted: block " + blockNumber + " in " + segment + " at offset " + offset + ": "
                + problem, cause);
        this.blockNumber = blockNumber;
        this.segment = segment;
        this.offset = offset;
    }

    /** The block expected at the damaged place, or -1 when not known. */
    public long blockNumber() {
        return blockNumber;
    }

    /** The damaged segment file's name, or empty. */
    public String segment() {
        return segment;
    }

    /** Byte offset of the damaged record's frame in the segment, or -1. */
    public long offset() {
        return offset;
    }
}
