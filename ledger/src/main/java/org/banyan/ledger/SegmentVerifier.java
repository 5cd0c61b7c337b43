package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.banyan.ledger.blocks.BlockIndex;
import org.banyan.ledger.blocks.BlockLocation;
import org.banyan.ledger.blocks.BlockStoreCorruptedException;
import org.banyan.ledger.blocks.BlockTransactions;
import org.banyan.ledger.blocks.ChainCheck;
import org.banyan.ledger.blocks.SegmentDirectory;
import org.banyan.ledger.blocks.SegmentFormat;
import org.banyan.ledger.blocks.SegmentScanner;
import org.banyan.ledger.blocks.TxLocation;
import org.banyan.protocol.BlockHashing;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Checks a block store from its segment files alone, then compares the index with what the segments hold.
 * Stops at the first segment problem; an index problem is reported only when the segments are sound (the
 * index is derived and rebuilt on open). Read-only; safe while a node has the ledger open.
 *
 * <p>Beside a running node: the index height is read once, first. Every block below it was fsynced before it
 * was indexed, so the segments must hold it whole. Blocks after it may be appended during the scan: whole
 * records are checked like any other (but not against the index snapshot), and a partial record or a segment
 * still being created at the end of the last segment is noted as in flight, not reported as a failure.
 * Without an index every check is strict.
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

    /** The scan reached a record or segment still being written (after the indexed height); it ends there. */
    private static final class InFlight extends Exception {
        InFlight(String message) {
            super(message, null, false, false);
        }
    }

    private final Path blocksDir;
    private final Optional<BlockIndex> index;
    private final int recordBytesMax;
    private long indexedHeight = -1;
    private long expected;
    private long txCount;
    private ByteString previousHash = ByteString.EMPTY;
    private String indexProblem = "";
    private long indexProblemBlock = -1;

    SegmentVerifier(Path blocksDir, Optional<BlockIndex> index, int recordBytesMax) {
        this.blocksDir = blocksDir;
        this.index = index;
        this.recordBytesMax = recordBytesMax;
    }

    VerificationResult run() throws IOException {
        // First: every block below this height was durable before the scan started.
        indexedHeight = index.map(BlockIndex::height).orElse(-1L);
        String note = "";
        try {
            List<Integer> segments = segments();
            for (int i = 0; i < segments.size(); i++) {
                scanSegment(i, i == segments.size() - 1);
            }
        } catch (Stop stop) {
            return VerificationResult.failed(expected, txCount, stop.block, stop.getMessage());
        } catch (InFlight inFlight) {
            note = inFlight.getMessage();
        }
        if (index.isEmpty()) {
            return VerificationResult.failed(expected, txCount, -1, "index missing (it is rebuilt on the next open)");
        }
        if (indexProblem.isEmpty() && expected < indexedHeight) {
            noteIndexProblem(expected, "index height " + indexedHeight + " but the segments hold " + expected
                    + " blocks");
        }
        if (!indexProblem.isEmpty()) {
            return VerificationResult.failed(expected, txCount, indexProblemBlock, indexProblem);
        }
        if (note.isEmpty() && expected > indexedHeight) {
            note = (expected - indexedHeight) + " blocks after the indexed height " + indexedHeight
                    + " (appended during the scan or not yet indexed)";
        }
        return VerificationResult.passed(expected, txCount, note);
    }

    private List<Integer> segments() throws IOException, Stop {
        try {
            return SegmentDirectory.list(blocksDir);
        } catch (BlockStoreCorruptedException missing) {
            throw new Stop(0, missing.segment() + " is missing");
        }
    }

    /** True when the scan is past the indexed height, where a node may be writing right now. */
    private boolean mayBeInFlight(boolean last) {
        return last && indexedHeight >= 0 && expected >= indexedHeight;
    }

    private void scanSegment(int segment, boolean last) throws IOException, Stop, InFlight {
        Path file = blocksDir.resolve(SegmentFormat.fileName(segment));
        String name = SegmentFormat.fileName(segment);
        ByteBuffer header = SegmentScanner.readHeader(file);
        if (!SegmentFormat.isValidHeader(header)) {
            if (header.remaining() < SegmentFormat.HEADER_BYTES && mayBeInFlight(last)) {
                throw new InFlight(name + " is being created (" + header.remaining() + " header bytes)");
            }
            throw new Stop(expected, "block " + expected + ": " + name + " has no valid segment header");
        }
        try (SegmentScanner scanner = SegmentScanner.open(file, SegmentFormat.HEADER_BYTES, recordBytesMax)) {
            while (true) {
                SegmentScanner.Step step = scanner.next();
                if (step instanceof SegmentScanner.Good good) {
                    checkBlock(segment, good);
                } else if (step instanceof SegmentScanner.Bad bad) {
                    String where = name + " offset " + bad.offset();
                    if (last && bad.reachesEndOfFile()) {
                        if (mayBeInFlight(last)) {
                            throw new InFlight("block " + expected + " in flight: " + bad.problem() + " at " + where);
                        }
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

    private void checkBlock(int segment, SegmentScanner.Good good) throws Stop {
        String where = SegmentFormat.fileName(segment) + " offset " + good.offset();
        ChainCheck.Result checked = ChainCheck.checkRecord(good.payload(), expected, previousHash);
        if (checked.problem().isPresent()) {
            ChainCheck.Problem problem = checked.problem().get();
            String message = switch (problem.kind()) {
                case NOT_A_BLOCK -> "record at " + where + " is not a block";
                case WRONG_NUMBER -> problem.describe() + (problem.foundNumber() > expected
                        ? " (block missing or out of order)" : " (block repeated or out of order)") + " at " + where;
                case PREVIOUS_HASH, DATA_HASH -> problem.describe();
            };
            throw new Stop(expected, "block " + expected + ": " + message);
        }
        Block block = checked.block().orElseThrow();
        checkIndex(block, new BlockLocation(segment, good.offset(), good.payload().length));
        previousHash = ByteString.copyFrom(BlockHashing.headerHash(block.getHeader()));
        txCount += block.getData().getDataCount();
        expected++;
    }

    private void checkIndex(Block block, BlockLocation location) {
        long number = block.getHeader().getNumber();
        // Blocks at or above the height read first are not in the index snapshot yet.
        if (index.isEmpty() || !indexProblem.isEmpty() || number >= indexedHeight) {
            return;
        }
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
