package org.banyan.ledger.blocks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.Assert;
import org.banyan.ledger.storage.RocksDbHandle;
import org.banyan.ledger.storage.Savepoints;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The block store's RocksDB index. Derived data: it is written after the segment record is fsynced, without
 * syncing itself, and rebuilt from the segments when it is missing or behind.
 *
 * <pre>
 * savepoint                    -> the last indexed block number (indexed height - 1), kept by {@link RocksDbHandle}
 * 0x00 'b' u64 number          -> u32 segment | u64 offset | u32 payload length
 * 0x00 't' UTF-8 tx ID         -> u64 block number | u32 tx index | u32 validation code   (first occurrence only)
 * </pre>
 *
 * One writer; any thread may read. Lifetime through {@link RocksDbHandle}: {@link #close()} waits for running
 * calls and later calls throw {@link IllegalStateException}. Storage failures throw {@link
 * org.banyan.ledger.storage.StorageException}.
 */
public final class BlockIndex implements AutoCloseable {
    /** Recorded in the directory so that a state or history store is never opened as an index. */
    public static final String KIND = "banyan-block-index-v1";

    private static final byte BLOCK_PREFIX = 'b';
    private static final byte TX_PREFIX = 't';

    private final RocksDbHandle db;

    private BlockIndex(RocksDbHandle db) {
        this.db = db;
    }

    /** Opens or creates the index in {@code directory}. */
    public static BlockIndex open(Path directory) {
        return new BlockIndex(RocksDbHandle.open(directory, KIND));
    }

    /** Opens an existing index read-only, for the verifier (works while a node has it open), or empty. */
    public static Optional<BlockIndex> openReadOnly(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        return Optional.of(new BlockIndex(RocksDbHandle.openReadOnly(directory, KIND)));
    }

    /** Number of blocks indexed: blocks 0 .. height-1 have entries. */
    public long height() {
        long savepoint = db.savepoint();
        return savepoint == Savepoints.NONE ? 0 : savepoint + 1;
    }

    /** Where block {@code number} is, or empty when it is not indexed. */
    public Optional<BlockLocation> location(long number) {
        byte[] value = db.get(blockKey(number));
        if (value == null) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return Optional.of(new BlockLocation(buffer.getInt(), buffer.getLong(), buffer.getInt()));
    }

    /** The first occurrence of a transaction ID, or empty. */
    public Optional<TxLocation> tx(String txId) {
        byte[] value = db.get(txKey(txId));
        if (value == null) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long block = buffer.getLong();
        int index = buffer.getInt();
        TxValidationCode code = TxValidationCode.forNumber(buffer.getInt());
        return Optional.of(new TxLocation(block, index,
                code == null ? TxValidationCode.INVALID_OTHER_REASON : code));
    }

    /**
     * Records block {@code number} (which must be the indexed height) and its transactions in one atomic
     * batch. Transaction IDs already indexed, or repeated within the block, keep their first location.
     *
     * @param txIds one entry per envelope; empty strings (no readable ID) are skipped
     * @param codes one validation code per envelope
     */
    public void put(long number, BlockLocation location, List<String> txIds, List<TxValidationCode> codes) {
        Assert.that(txIds.size() == codes.size(), "txIds=%d codes=%d", txIds.size(), codes.size());
        db.writeBlock(number, batch -> {
            batch.put(blockKey(number), ByteBuffer.allocate(16).putInt(location.segment())
                    .putLong(location.offset()).putInt(location.payloadBytes()).array());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < txIds.size(); i++) {
                String txId = txIds.get(i);
                if (txId.isEmpty() || !seen.add(txId) || db.get(txKey(txId)) != null) {
                    continue;
                }
                batch.put(txKey(txId), ByteBuffer.allocate(16).putLong(number).putInt(i)
                        .putInt(codes.get(i).getNumber()).array());
            }
        });
    }

    /** Deletes every entry, before a rebuild from the segments. */
    public void clear() {
        db.reset();
    }

    private static byte[] blockKey(long number) {
        return ByteBuffer.allocate(10).put((byte) RocksDbHandle.DATA).put(BLOCK_PREFIX).putLong(number).array();
    }

    private static byte[] txKey(String txId) {
        byte[] id = txId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).put((byte) RocksDbHandle.DATA).put(TX_PREFIX).put(id).array();
    }

    /** Waits for running calls, then releases the native handles; a second close does nothing. */
    @Override
    public void close() {
        db.close();
    }
}
