package org.banyan.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.banyan.ledger.blocks.BlockIndex;
import org.banyan.ledger.blocks.BlockLocation;
import org.banyan.ledger.blocks.BlockTransactions;
import org.banyan.ledger.blocks.SegmentFormat;
import org.banyan.ledger.blocks.SegmentScanner;
import org.banyan.ledger.blocks.TxLocation;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.RocksDBException;

/**
 * Checks a block store from its segment files alone, then compares the index with what the segments hold.
 * Stops at the first segment problem; an index problem is reported only when the segments are sound (the
 * index is derived and rebuilt on open). Read-only; safe while a node has the ledger open.
 */
final class SegmentVerifier {
    /** A problem found in the segments ends the scan. */
    private static final class Stop extends Exception {
        final long block;

        Stop(long block, String message) {
            super(message, null, false, false);
            this.block = block;
        }
    }

    private final Path blocksDir;
    private final Optional<BlockIndex> index;
    private long expected;
    private long txCount;
    private ByteString previousHash = ByteString.EMPTY;
    private String indexProblem = "";
    private long indexProblemBlock = -1;

    SegmentVerifier(Path blocksDir, Optional<BlockIndex> index) {
        this.blocksDir = blocksDir;
        this.index = index;
    }

    VerificationResult run() throws IOException, RocksDBException {
        try {
            List<Integer> segments = segments();
            for (int i = 0; i < segments.size(); i++) {
                scanSegment(i, i == segments.size() - 1);
            }
        } catch (Stop stop) {
            return VerificationResult.failed(expected, txCount, stop.block, stop.getMessage());
        }
        if (index.isEmpty()) {
            return VerificationResult.failed(expected, txCount, -1, "index missing (it is rebuilt on the next open)");
        }
        if (indexProblem.isEmpty() && index.get().height() != expected) {
            noteIndexProblem(expected, "index height " + index.get().height() + " but the segments hold " + expected
                    + " blocks");
        }
        return indexProblem.isEmpty() ? VerificationResult.passed(expected, txCount)
                : VerificationResult.failed(expected, txCount, indexProblemBlock, indexProblem);
    }

    private List<Integer> segments() throws IOException, Stop {
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(blocksDir)) {
            files.forEach(f -> SegmentFormat.parseFileName(f.getFileName().toString()).ifPresent(numbers::add));
        }
        numbers.sort(null);
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) != i) {
                throw new Stop(0, SegmentFormat.fileName(i) + " is missing");
            }
        }
        return numbers;
    }

    private void scanSegment(int segment, boolean last) throws IOException, RocksDBException, Stop {
        Path file = blocksDir.resolve(SegmentFormat.fileName(segment));
        String name = SegmentFormat.fileName(segment);
        if (!SegmentFormat.isValidHeader(SegmentScanner.readHeader(file))) {
            throw new Stop(expected, "block " + expected + ": " + name + " has no valid segment header");
        }
        try (SegmentScanner scanner = SegmentScanner.open(file, SegmentFormat.HEADER_BYTES, SegmentFormat.RECORD_BYTES_MAX_DEFAULT)) {
            while (true) {
                SegmentScanner.Step step = scanner.next();
                if (step instanceof SegmentScanner.Good good) {
                    checkBlock(segment, good);
                } else if (step instanceof SegmentScanner.Bad bad) {
                    String where = name + " offset " + bad.offset();
                    if (last && bad.reachesEndOfFile()) {
                        // A bad final record is what a torn write leaves (the next open truncates it) or damage to
                        // the newest block; either way the block it should hold is the first bad one.
                        throw new Stop(expected, "block " + expected + ": truncated or damaged final record after block "
                                + (expected - 1) + " (" + bad.problem() + " at " + where + ")");
                    }
                    throw new Stop(expected, "block " + expected + ": " + bad.problem() + " at " + where);
                } else {
                    return;
                }
            }
        }
    }

    private void checkBlock(int segment, SegmentScanner.Good good) throws RocksDBException, Stop {
        String where = SegmentFormat.fileName(segment) + " offset " + good.offset();
        Block block;
        try {
            block = Block.parseFrom(good.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new Stop(expected, "block " + expected + ": record at " + where + " is not a block");
        }
        long number = block.getHeader().getNumber();
        if (number != expected) {
            throw new Stop(expected, "block " + expected + ": expected block number " + expected + ", found " + number
                    + (number > expected ? " (block missing or out of order)" : " (block repeated or out of order)")
                    + " at " + where);
        }
        if (number > 0 && !block.getHeader().getPreviousHash().equals(previousHash)) {
            throw new Stop(number, "block " + number + ": previous hash does not match block " + (number - 1));
        }
        if (!Blocks.dataHashMatches(block)) {
            throw new Stop(number, "block " + number + ": data hash does not match its data");
        }
        checkIndex(block, new BlockLocation(segment, good.offset(), good.payload().length));
        previousHash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
        txCount += block.getData().getDataCount();
        expected++;
    }

    private void checkIndex(Block block, BlockLocation location) throws RocksDBException {
        if (index.isEmpty() || !indexProblem.isEmpty()) {
            return;
        }
        long number = block.getHeader().getNumber();
        Optional<BlockLocation> indexed = index.get().location(number);
        if (indexed.isEmpty() || !indexed.get().equals(location)) {
            noteIndexProblem(number, "block " + number + ": index has " + indexed.map(Object::toString).orElse("no entry")
                    + ", segments have " + location);
            return;
        }
        List<String> txIds = BlockTransactions.txIds(block);
        List<TxValidationCode> codes = BlockTransactions.codes(block);
        for (int i = 0; i < txIds.size(); i++) {
            if (txIds.get(i).isEmpty()) {
                continue;
            }
            Optional<TxLocation> tx = index.get().tx(txIds.get(i));
            // The index keeps the first occurrence: an entry from an earlier block or position is a duplicate ID.
            boolean agrees = tx.isPresent() && (tx.get().blockNumber() < number || tx.get().blockNumber() == number
                    && (tx.get().txIndex() < i || tx.get().txIndex() == i && tx.get().validationCode() == codes.get(i)));
            if (!agrees) {
                noteIndexProblem(number, "block " + number + ": index entry of transaction " + txIds.get(i) + " is "
                        + tx.map(Object::toString).orElse("missing"));
                return;
            }
        }
    }

    private void noteIndexProblem(long block, String problem) {
        indexProblem = problem;
        indexProblemBlock = block;
    }
}
