package org.banyan.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.banyan.ledger.blocks.BlockIndex;
import org.banyan.ledger.blocks.BlockIndexException;
import org.banyan.ledger.blocks.BlockLocation;
import org.banyan.ledger.blocks.BlockStoreCorruptedException;
import org.banyan.ledger.blocks.SegmentFormat;
import org.banyan.ledger.blocks.SegmentScanner;
import org.banyan.ledger.storage.StorageException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Read-only access to a channel's block files for operator tools: never repairs, truncates or replays
 * anything, and works while a node has the ledger open (it reads the index through a RocksDB read-only
 * handle). A block the index does not cover yet is reported as absent.
 */
public final class LedgerFiles {
    private LedgerFiles() {}

    /** Block {@code number}, checked against its record checksum, or empty when the ledger has no such block. */
    public static Optional<Block> readBlock(Path ledgerDir, String channelId, long number) {
        try (Reader reader = open(ledgerDir, channelId)) {
            return reader.block(number);
        }
    }

    /**
     * Opens the channel's block files and index (read-only) once, for reading many blocks; close it when done.
     *
     * @throws LedgerNotFoundException when the directory holds no such channel
     * @throws BlockIndexException when the index cannot be opened
     */
    public static Reader open(Path ledgerDir, String channelId) {
        Path channelDir = ledgerDir.resolve(ChannelIds.check(channelId));
        if (!Files.isDirectory(channelDir.resolve("blocks"))) {
            throw new LedgerNotFoundException(channelId, ledgerDir);
        }
        try {
            Optional<BlockIndex> index = BlockIndex.openReadOnly(channelDir.resolve("index"));
            if (index.isEmpty()) {
                throw new BlockIndexException("channel " + channelId + " has no index yet; open the ledger once to rebuild it",
                        null);
            }
            return new Reader(channelDir, index.get());
        } catch (StorageException e) {
            throw new BlockIndexException("cannot read the index of " + channelDir + ": " + e.getMessage(), e);
        }
    }

    /** Read-only access to one channel's blocks, through one index handle. Not thread-safe. */
    public static final class Reader implements AutoCloseable {
        private final Path channelDir;
        private final BlockIndex index;

        private Reader(Path channelDir, BlockIndex index) {
            this.channelDir = channelDir;
            this.index = index;
        }

        /** Block {@code number}, checked against its record checksum, or empty when the ledger has no such block. */
        public Optional<Block> block(long number) {
            try {
                Optional<BlockLocation> location = index.location(number);
                return location.map(l -> read(channelDir.resolve("blocks"), number, l));
            } catch (StorageException e) {
                throw new BlockIndexException("cannot read the index of " + channelDir + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            index.close();
        }
    }

    private static Block read(Path blocksDir, long number, BlockLocation location) {
        Path file = blocksDir.resolve(SegmentFormat.fileName(location.segment()));
        // The index gives the record's length, so a frame claiming more than that is damage.
        try (SegmentScanner scanner = SegmentScanner.open(file, location.offset(),
                Math.max(1, location.payloadBytes()))) {
            SegmentScanner.Step step = scanner.next();
            if (!(step instanceof SegmentScanner.Good good)) {
                throw corrupted(number, location, step instanceof SegmentScanner.Bad bad ? bad.problem() : "record missing");
            }
            Block block = Block.parseFrom(good.payload());
            if (block.getHeader().getNumber() != number) {
                throw corrupted(number, location, "record holds block " + block.getHeader().getNumber());
            }
            return block;
        } catch (InvalidProtocolBufferException e) {
            throw corrupted(number, location, "record is not a block: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static BlockStoreCorruptedException corrupted(long number, BlockLocation location, String problem) {
        return new BlockStoreCorruptedException(number, SegmentFormat.fileName(location.segment()), location.offset(), problem);
    }
}
