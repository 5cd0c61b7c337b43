package org.banyan.ledger.blocks;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.ledger.storage.Directories;
import org.banyan.ledger.storage.StorageException;
import org.banyan.ledger.storage.StoreLock;
import org.banyan.protocol.BlockHashing;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Append-only, durable store of one channel's blocks (see {@link SegmentFormat} for the files and {@link
 * BlockIndex} for the index).
 *
 * <p>Threads: one writer calls {@link #append}; any number of threads read concurrently. Readers see a block
 * once {@link #height()} covers it, which happens only after its record is fsynced and indexed. Appends and
 * reads run under a shared {@link StoreLock}; {@link #close()} takes it exclusively, so it waits for running
 * calls (the index's native handles are never freed under a reader) and later calls throw {@link
 * IllegalStateException}.
 *
 * <p>Recovery on {@link #open}: a torn record at the end of the last segment is truncated and reported in
 * {@link #recovery()}; records beyond the index are indexed; damage anywhere else throws {@link
 * BlockStoreCorruptedException} and nothing is truncated.
 */
public final class BlockStore implements AutoCloseable {
    private final Path directory;
    private final BlockStoreOptions options;
    private final BlockIndex index;
    private final RecoveryReport recovery;
    private final ConcurrentHashMap<Integer, FileChannel> readChannels = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final StoreLock lifetime;

    // Writer state, guarded by writeLock.
    private int segment;
    private AppendFile file;
    private long writeOffset;
    private boolean failed;

    // Published to readers after each durable append; height is written last.
    private volatile ByteString lastHeaderHash;
    private volatile long height;

    private BlockStore(Path directory, BlockStoreOptions options, BlockIndex index, BlockStoreRecovery.Outcome outcome,
                       AppendFile file) throws IOException {
        this.directory = directory;
        this.options = options;
        this.index = index;
        this.lifetime = new StoreLock("block store " + directory);
        this.recovery = outcome.report();
        this.segment = outcome.lastSegment();
        this.file = file;
        this.writeOffset = file.size();
        this.lastHeaderHash = outcome.lastHeaderHash();
        this.height = outcome.height();
    }

    /**
     * Opens (creating when absent) the store whose segments are in {@code blocksDirectory} and whose index is
     * in {@code indexDirectory}, repairing a torn tail and a stale index first.
     *
     * @throws BlockStoreCorruptedException when durable data is damaged
     * @throws BlockIndexException when the index cannot be opened
     */
    public static BlockStore open(Path blocksDirectory, Path indexDirectory, BlockStoreOptions options) {
        BlockIndex index = null;
        try {
            // Durable names: a genesis block reported durable must not vanish with its new directory.
            Directories.createDurably(blocksDirectory);
            Directories.createDurably(indexDirectory);
            index = BlockIndex.open(indexDirectory);
            BlockStoreRecovery.Outcome outcome = new BlockStoreRecovery(blocksDirectory, index, options).run();
            AppendFile file = options.opener().open(SegmentDirectory.path(blocksDirectory, outcome.lastSegment()));
            return new BlockStore(blocksDirectory, options, index, outcome, file);
        } catch (IOException e) {
            closeQuietly(index);
            throw new UncheckedIOException("cannot open block store " + blocksDirectory, e);
        } catch (StorageException e) {
            closeQuietly(index);
            throw new BlockIndexException("cannot open block index " + indexDirectory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(index);
            throw e;
        }
    }

    /** What opening repaired. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Number of durable blocks: blocks 0 .. height-1 exist. */
    public long height() {
        return height;
    }

    /** Hash of the last block's header (what the next block must carry as previous hash); empty when none. */
    public ByteString lastHeaderHash() {
        return lastHeaderHash;
    }

    /**
     * Appends the next block and returns once it is durable (written, fsynced and indexed).
     *
     * @throws BlockRejectedException when the block does not extend the chain; nothing is written
     * @throws BlockWriteException when the disk fails; the partial record is removed and the store still
     *     ends at the previous block
     * @throws IllegalStateException when the store is closed
     */
    public BlockLocation append(Block block) {
        return lifetime.shared(() -> appendOpen(block));
    }

    private BlockLocation appendOpen(Block block) {
        writeLock.lock();
        try {
            checkExtendsChain(block);
            if (failed) {
                throw new BlockWriteException("block store " + directory + " must be reopened after a failed rollback",
                        null);
            }
            byte[] payload = block.toByteArray();
            if (payload.length > options.recordBytesMax()) {
                throw new BlockRejectedException(block.getHeader().getNumber(),
                        "encoded size " + payload.length + " exceeds " + options.recordBytesMax() + " bytes");
            }
            ByteBuffer record = SegmentFormat.encodeRecord(payload);
            if (writeOffset + record.remaining() > options.segmentBytesMax()
                    && writeOffset > SegmentFormat.HEADER_BYTES) {
                roll();
            }
            BlockLocation location = writeDurably(block, record, payload.length);
            writeOffset = location.endOffset();
            lastHeaderHash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
            height = block.getHeader().getNumber() + 1;
            return location;
        } finally {
            writeLock.unlock();
        }
    }

    private void checkExtendsChain(Block block) {
        ChainCheck.check(block, height, lastHeaderHash).ifPresent(problem -> {
            throw new BlockRejectedException(block.getHeader().getNumber(), problem.describe());
        });
    }

    private BlockLocation writeDurably(Block block, ByteBuffer record, int payloadBytes) {
        long start = writeOffset;
        long number = block.getHeader().getNumber();
        try {
            file.write(record, start);
            file.force();
        } catch (IOException e) {
            rollback(start, e);
            throw new BlockWriteException("cannot write block " + number + " to " + SegmentFormat.fileName(segment)
                    + ": " + e.getMessage(), e);
        }
        BlockLocation location = new BlockLocation(segment, start, payloadBytes);
        try {
            index.put(number, location, BlockTransactions.txIds(block), BlockTransactions.codes(block));
        } catch (StorageException e) {
            // The record is durable but not indexed; remove it so that a failed append leaves no block behind.
            rollback(start, e);
            throw new BlockWriteException("cannot index block " + number + ": " + e.getMessage(), e);
        }
        return location;
    }

    private void rollback(long sizeBytes, Exception cause) {
        try {
            file.truncate(sizeBytes);
            file.force();
        } catch (IOException e) {
            cause.addSuppressed(e);
            failed = true;
        }
    }

    private void roll() {
        try {
            AppendFile next = SegmentDirectory.create(directory, segment + 1, options.opener());
            file.close();
            file = next;
            segment++;
            writeOffset = SegmentFormat.HEADER_BYTES;
        } catch (IOException e) {
            throw new BlockWriteException("cannot start " + SegmentFormat.fileName(segment + 1) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Block {@code number}, read from its segment and checked (checksum and number), or empty when {@code
     * number >= height()}.
     *
     * @throws BlockStoreCorruptedException when the record fails its checks
     * @throws IllegalStateException when the store is closed
     */
    public Optional<Block> block(long number) {
        return lifetime.shared(() -> readBlock(number));
    }

    private Optional<Block> readBlock(long number) {
        if (number < 0 || number >= height) {
            return Optional.empty();
        }
        BlockLocation location = location(number);
        String name = SegmentFormat.fileName(location.segment());
        try {
            byte[] payload = SegmentDirectory.readRecord(readChannel(location.segment()), location)
                    .orElseThrow(() -> new BlockStoreCorruptedException(number, name, location.offset(),
                            "checksum or length mismatch on read"));
            Block block = BlockStoreRecovery.decode(payload, number, name, location.offset());
            if (block.getHeader().getNumber() != number) {
                throw new BlockStoreCorruptedException(number, name, location.offset(),
                        "record holds block " + block.getHeader().getNumber());
            }
            return Optional.of(block);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read block " + number, e);
        }
    }

    private BlockLocation location(long number) {
        try {
            return index.location(number).orElseThrow(() -> new BlockStoreCorruptedException(number, "", -1,
                    "block below height " + height + " is not indexed"));
        } catch (StorageException e) {
            throw new BlockIndexException("cannot read index entry of block " + number + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where transaction {@code txId} first appeared and its validation code, or empty when unknown.
     *
     * @throws IllegalStateException when the store is closed
     */
    public Optional<TxLocation> txLocation(String txId) {
        return lifetime.shared(() -> {
            try {
                Optional<TxLocation> location = index.tx(txId);
                // An entry above the published height belongs to an append still in progress.
                return location.filter(tx -> tx.blockNumber() < height);
            } catch (StorageException e) {
                throw new BlockIndexException("cannot look up transaction " + txId + ": " + e.getMessage(), e);
            }
        });
    }

    /** Blocks {@code from} .. height-1 (height read when this is called), read lazily in order. */
    public Iterator<Block> blocksFrom(long from) {
        long end = height;
        return new Iterator<>() {
            private long next = Math.max(0, from);

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public Block next() {
                if (next >= end) {
                    throw new NoSuchElementException();
                }
                long number = next++;
                return block(number).orElseThrow(() -> new AssertionError("block " + number + " below height"));
            }
        };
    }

    /** Called only under the shared lock, so no channel is opened after {@link #close()}. */
    private FileChannel readChannel(int number) {
        return readChannels.computeIfAbsent(number, n -> {
            try {
                return FileChannel.open(SegmentDirectory.path(directory, n), StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Waits for running reads and appends, then closes the files and the index; a second close does nothing. */
    @Override
    public void close() {
        lifetime.close(() -> {
            for (FileChannel channel : readChannels.values()) {
                closeQuietly(channel);
            }
            readChannels.clear();
            closeQuietly(file);
            index.close();
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing after a failure or at shutdown; the original error, if any, is what matters.
        }
    }
}
