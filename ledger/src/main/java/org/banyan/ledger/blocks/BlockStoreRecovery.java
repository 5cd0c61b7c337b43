package org.banyan.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.banyan.crypto.Assert;
import org.banyan.protocol.BlockHashing;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Brings the segments and the index into agreement when a store opens. Rules:
 *
 * <ol>
 *   <li>Segment files must be numbered 0..n without gaps and start with a valid header; a last segment
 *       shorter than a header (a crash while rolling) gets its header rewritten.
 *   <li>The last indexed block must be readable where the index says; the index only ever covers fsynced
 *       records, so if it is not, durable data was lost: corruption. An index missing entries is rebuilt.
 *   <li>Records after the last indexed one are scanned, checked (checksum, number, previous hash, data
 *       hash) and indexed.
 *   <li>A bad record at the very end of the last segment, with nothing readable after it, is a torn write:
 *       truncated and reported. The append it belongs to never returned, so it was never reported durable.
 *       A bad record anywhere else is corruption and nothing is truncated. This holds whether or not the
 *       index exists: without one, the whole chain is scanned and every record before the tail is treated
 *       as durable.
 *   <li>Nothing below {@link BlockStoreOptions#durableHeightMin()} is ever truncated, and a store that ends
 *       below it is corruption.
 * </ol>
 */
final class BlockStoreRecovery {
    /** Where recovery left the store. */
    record Outcome(long height, ByteString lastHeaderHash, int lastSegment, RecoveryReport report) {}

    private final Path directory;
    private final BlockIndex index;
    private final BlockStoreOptions options;
    private long bytesTruncated;
    private String truncatedSegment = "";
    private long truncatedAtOffset = -1;
    private long blocksIndexed;
    private boolean indexRebuilt;
    private long expectedNumber;
    private ByteString previousHash = ByteString.EMPTY;

    BlockStoreRecovery(Path directory, BlockIndex index, BlockStoreOptions options) {
        this.directory = directory;
        this.index = index;
        this.options = options;
    }

    Outcome run() throws IOException {
        List<Integer> segments = SegmentDirectory.list(directory);
        if (segments.isEmpty()) {
            SegmentDirectory.create(directory, 0, options.opener()).close();
            segments = List.of(0);
        }
        int lastSegment = segments.get(segments.size() - 1);
        int startSegment = 0;
        long startOffset = SegmentFormat.HEADER_BYTES;
        Optional<BlockLocation> resume = resumePoint();
        if (resume.isPresent()) {
            startSegment = resume.get().segment();
            startOffset = resume.get().endOffset();
        }
        for (int segment = startSegment; segment <= lastSegment; segment++) {
            boolean last = segment == lastSegment;
            if (!checkHeader(segment, last)) {
                continue;
            }
            scanSegment(segment, segment == startSegment ? startOffset : SegmentFormat.HEADER_BYTES, last);
        }
        if (resume.isEmpty() && blocksIndexed > 0) {
            // The index was missing, empty or cleared and the segments held blocks.
            indexRebuilt = true;
        }
        if (expectedNumber < options.durableHeightMin()) {
            throw new BlockStoreCorruptedException(expectedNumber, SegmentFormat.fileName(lastSegment), -1,
                    "the segments end at height " + expectedNumber + " but height " + options.durableHeightMin()
                            + " was durable");
        }
        RecoveryReport report = new RecoveryReport(bytesTruncated, truncatedSegment, truncatedAtOffset,
                blocksIndexed, indexRebuilt);
        return new Outcome(expectedNumber, previousHash, lastSegment, report);
    }

    /** The last indexed block's location after checking it against the segment, or empty to scan from 0. */
    private Optional<BlockLocation> resumePoint() throws IOException {
        long indexed = index.height();
        if (indexed == 0) {
            // Entries without a height (an older layout, or a store that lost its savepoint) are stale.
            index.clear();
            return Optional.empty();
        }
        Optional<BlockLocation> location = index.location(indexed - 1);
        if (location.isEmpty()) {
            index.clear();
            indexRebuilt = true;
            return Optional.empty();
        }
        BlockLocation at = location.get();
        Path file = SegmentDirectory.path(directory, at.segment());
        Optional<byte[]> payload = Optional.empty();
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                payload = SegmentDirectory.readRecord(channel, at);
            }
        }
        String segmentName = SegmentFormat.fileName(at.segment());
        if (payload.isEmpty()) {
            throw new BlockStoreCorruptedException(indexed - 1, segmentName, at.offset(),
                    "indexed (durable) record is missing or fails its checksum");
        }
        Block block = decode(payload.get(), indexed - 1, segmentName, at.offset());
        if (block.getHeader().getNumber() != indexed - 1) {
            throw new BlockStoreCorruptedException(indexed - 1, segmentName, at.offset(),
                    "index points at block " + block.getHeader().getNumber());
        }
        expectedNumber = indexed;
        previousHash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
        return location;
    }

    /** False when the segment is an empty last segment whose header had to be rewritten. */
    private boolean checkHeader(int segment, boolean last) throws IOException {
        Path file = SegmentDirectory.path(directory, segment);
        ByteBuffer header = SegmentScanner.readHeader(file);
        if (header.remaining() < SegmentFormat.HEADER_BYTES && last) {
            // A crash between creating the file and syncing its header; nothing else can be in it.
            long size = Files.size(file);
            SegmentDirectory.create(directory, segment, options.opener()).close();
            recordTruncation(segment, 0, size);
            return false;
        }
        if (!SegmentFormat.isValidHeader(header)) {
            throw new BlockStoreCorruptedException(expectedNumber, SegmentFormat.fileName(segment), 0,
                    "not a segment file (bad magic or version)");
        }
        return true;
    }

    private void scanSegment(int segment, long fromOffset, boolean last) throws IOException {
        Path file = SegmentDirectory.path(directory, segment);
        String name = SegmentFormat.fileName(segment);
        try (SegmentScanner scanner = SegmentScanner.open(file, fromOffset, options.recordBytesMax())) {
            while (true) {
                SegmentScanner.Step step = scanner.next();
                if (step instanceof SegmentScanner.Good good) {
                    indexRecord(segment, good);
                } else if (step instanceof SegmentScanner.Bad bad) {
                    if (!last || !bad.reachesEndOfFile()) {
                        throw new BlockStoreCorruptedException(expectedNumber, name, bad.offset(), bad.problem());
                    }
                    if (expectedNumber < options.durableHeightMin()) {
                        throw new BlockStoreCorruptedException(expectedNumber, name, bad.offset(), bad.problem()
                                + " in a torn-looking final record, but height " + options.durableHeightMin()
                                + " was durable");
                    }
                    truncate(file, bad.offset(), scanner.sizeBytes());
                    recordTruncation(segment, bad.offset(), scanner.sizeBytes() - bad.offset());
                    return;
                } else {
                    return;
                }
            }
        }
    }

    private void indexRecord(int segment, SegmentScanner.Good good) {
        String name = SegmentFormat.fileName(segment);
        ChainCheck.Result checked = ChainCheck.checkRecord(good.payload(), expectedNumber, previousHash);
        if (checked.problem().isPresent()) {
            throw new BlockStoreCorruptedException(expectedNumber, name, good.offset(),
                    checked.problem().get().describe());
        }
        Block block = checked.block().orElseThrow();
        long number = block.getHeader().getNumber();
        BlockLocation location = new BlockLocation(segment, good.offset(), good.payload().length);
        index.put(number, location, BlockTransactions.txIds(block), BlockTransactions.codes(block));
        blocksIndexed++;
        expectedNumber = number + 1;
        previousHash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
    }

    private void truncate(Path file, long offset, long sizeBytes) throws IOException {
        Assert.that(offset >= SegmentFormat.HEADER_BYTES && offset < sizeBytes, "truncate %d of %d",
                offset, sizeBytes);
        try (AppendFile append = options.opener().open(file)) {
            append.truncate(offset);
            append.force();
        }
    }

    private void recordTruncation(int segment, long offset, long bytes) {
        Assert.that(bytesTruncated == 0, "two torn tails: only the last segment can have one");
        bytesTruncated = bytes;
        truncatedSegment = SegmentFormat.fileName(segment);
        truncatedAtOffset = offset;
    }

    static Block decode(byte[] payload, long expectedNumber, String segment, long offset) {
        try {
            return Block.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new BlockStoreCorruptedException(expectedNumber, segment, offset,
                    "checksum matches but the record is not a block", e);
        }
    }
}
