package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/**
 * A block IS durable in the block store, but state or history could not be brought up to it (for example
 * RocksDB failed with a full disk, {@link org.banyan.ledger.storage.StorageException}). Unlike every other
 * failure of {@link ChannelLedger#commit}, the block was committed: the caller must not offer it again, and
 * must not report it as rejected. The ledger refuses further commits with this exception until it is
 * reopened; opening replays the block store into state and history from their savepoints.
 */
public final class DerivedStoresBehindException extends RuntimeException {
    private final String channelId;
    private final long blockNumber;
    private final ByteString commitHash;

    /**
     * @param blockNumber the last durable block, which the derived stores may be missing
     * @param commitHash that block's recorded commit hash
     * @param cause why the derived stores fell behind
     */
    public DerivedStoresBehindException(String channelId, long blockNumber, ByteString commitHash, Throwable cause) {
        super("channel " + channelId + ": block " + blockNumber + " is durable (commit hash "
                + HexFormat.of().formatHex(commitHash.toByteArray()) + ") but state and history are behind it: "
                + cause + "; reopen the ledger to replay the block store into them", cause);
        this.channelId = channelId;
        this.blockNumber = blockNumber;
        this.commitHash = commitHash;
    }

    /** The channel whose derived stores are behind. */
    public String channelId() {
        return channelId;
    }

    /** The last durable block; it is committed, whatever state and history show. */
    public long blockNumber() {
        return blockNumber;
    }

    /** The commit hash recorded with {@link #blockNumber()}. */
    public ByteString commitHash() {
        return commitHash;
    }
}
