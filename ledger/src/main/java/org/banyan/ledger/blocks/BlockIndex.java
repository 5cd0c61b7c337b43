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
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The block store's RocksDB index. Derived data: it is written after the segment record is fsynced, without
 * syncing itself, and rebuilt from the segments when it is missing or behind.
 *
 * <pre>
 * "h"              -> u64 indexed height (number of blocks indexed)
 * 'b' u64 number   -> u32 segment | u64 offset | u32 payload length
 * 't' UTF-8 tx ID  -> u64 block number | u32 tx index | u32 validation code   (first occurrence only)
 * </pre>
 *
 * One writer; RocksDB makes reads safe from any thread.
 */
public final class BlockIndex implements AutoCloseable {
    private static final byte[] HEIGHT_KEY = {'h'};
    private static final byte BLOCK_PREFIX = 'b';
    private static final byte TX_PREFIX = 't';

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;

    private BlockIndex(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
        this.writeOptions = new WriteOptions();
    }

    /** Opens or creates the index in {@code directory}. */
    public static BlockIndex open(Path directory) throws RocksDBException {
        Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2);
        try {
            return new BlockIndex(options, RocksDB.open(options, directory.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw e;
        }
    }

    /** Opens an existing index read-only, for the verifier (works while a node has it open), or empty. */
    public static Optional<BlockIndex> openReadOnly(Path directory) throws RocksDBException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        Options options = new Options();
        try {
            return Optional.of(new BlockIndex(options, RocksDB.openReadOnly(options, directory.toString())));
        } catch (RocksDBException e) {
            options.close();
            throw e;
        }
    }

    /** Number of blocks indexed: blocks 0 .. height-1 have entries. */
    public long height() throws RocksDBException {
        byte[] value = db.get(HEIGHT_KEY);
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /** Where block {@code number} is, or empty when it is not indexed. */
    public Optional<BlockLocation> location(long number) throws RocksDBException {
        byte[] value = db.get(blockKey(number));
        if (value == null) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return Optional.of(new BlockLocation(buffer.getInt(), buffer.getLong(), buffer.getInt()));
    }

    /** The first occurrence of a transaction ID, or empty. */
    public Optional<TxLocation> tx(String txId) throws RocksDBException {
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
    public void put(long number, BlockLocation location, List<String> txIds, List<TxValidationCode> codes)
            throws RocksDBException {
        Assert.that(txIds.size() == codes.size(), "txIds=%d codes=%d", txIds.size(), codes.size());
        try (WriteBatch batch = new WriteBatch()) {
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
            batch.put(HEIGHT_KEY, ByteBuffer.allocate(8).putLong(number + 1).array());
            db.write(writeOptions, batch);
        }
    }

    /** Deletes every entry, before a rebuild from the segments. */
    public void clear() throws RocksDBException {
        // Every key starts with 'b', 'h' or 't', so [0x00, 0xff) covers them all.
        db.deleteRange(new byte[] {0}, new byte[] {(byte) 0xff});
    }

    private static byte[] blockKey(long number) {
        return ByteBuffer.allocate(9).put(BLOCK_PREFIX).putLong(number).array();
    }

    private static byte[] txKey(String txId) {
        byte[] id = txId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + id.length).put(TX_PREFIX).put(id).array();
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
    }
}
