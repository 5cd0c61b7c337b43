package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.banyan.ledger.blocks.BlockIndex;
import org.banyan.ledger.blocks.BlockLocation;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.blocks.SegmentFormat;
import org.banyan.ledger.blocks.TestFiles;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1,000-block ledger passes the verifier, and every kind of damage to its segment files is reported with
 * the number of the first damaged block.
 */
class LedgerAcceptanceTest {
    private static final int BLOCKS = 1_000;
    private static final int TXS_PER_BLOCK = 5;
    private static final String CHANNEL = TestChains.CHANNEL;
    /** Small segments, so the chain spans several files. */
    private static final long SEGMENT_BYTES_MAX = 4L * 1024 * 1024;

    @TempDir
    static Path pristine;

    private static final List<BlockLocation> locations = new ArrayList<>();

    @TempDir
    Path ledgerDir;

    @BeforeAll
    static void writeLedger() throws Exception {
        List<Block> chain = new TestChains(42, 32, 100).chain(BLOCKS, TXS_PER_BLOCK);
        LedgerOptions options = LedgerOptions.defaults()
                .withBlockStore(BlockStoreOptions.defaults().withSegmentBytesMax(SEGMENT_BYTES_MAX));
        try (ChannelLedger ledger = ChannelLedger.create(pristine, chain.get(0), options)) {
            chain.subList(1, BLOCKS).forEach(ledger::commit);
            assertThat(LedgerVerifier.verifyDerived(ledger).ok()).isTrue();
        }
        try (BlockIndex index = BlockIndex.open(pristine.resolve(CHANNEL).resolve("index"))) {
            for (long n = 0; n < BLOCKS; n++) {
                locations.add(index.location(n).orElseThrow());
            }
        }
    }

    private VerificationResult tamperAndVerify(Tamper tamper) throws IOException {
        TestFiles.copyRecursively(pristine, ledgerDir);
        tamper.apply();
        return LedgerVerifier.verifyBlocks(ledgerDir, CHANNEL);
    }

    @FunctionalInterface
    private interface Tamper {
        void apply() throws IOException;
    }

    private Path segmentOf(int block) {
        return ledgerDir.resolve(CHANNEL).resolve("blocks").resolve(SegmentFormat.fileName(locations.get(block).segment()));
    }

    private byte[] recordOf(int block) throws IOException {
        BlockLocation at = locations.get(block);
        byte[] all = Files.readAllBytes(segmentOf(block));
        byte[] record = new byte[SegmentFormat.FRAME_BYTES + at.payloadBytes()];
        System.arraycopy(all, (int) at.offset(), record, 0, record.length);
        return record;
    }

    /** Replaces the bytes of the records from {@code first} to {@code last} (same segment) with {@code bytes}. */
    private void rewriteRecords(int first, int last, byte[] bytes) throws IOException {
        assertThat(locations.get(first).segment()).isEqualTo(locations.get(last).segment());
        byte[] all = Files.readAllBytes(segmentOf(first));
        int start = (int) locations.get(first).offset();
        int end = (int) locations.get(last).endOffset();
        ByteBuffer out = ByteBuffer.allocate(all.length - (end - start) + bytes.length);
        out.put(all, 0, start).put(bytes).put(all, end, all.length - end);
        Files.write(segmentOf(first), out.array());
    }

    @Test
    void anIntactLedgerPasses() throws IOException {
        VerificationResult result = tamperAndVerify(() -> { });
        assertThat(result.ok()).as(result.describe()).isTrue();
        assertThat(result.blocksChecked()).isEqualTo(BLOCKS);
        assertThat(result.txCount()).isEqualTo(1 + (BLOCKS - 1) * TXS_PER_BLOCK);
        assertThat(locations.get(BLOCKS - 1).segment()).as("chain spans several segments").isGreaterThan(1);
    }

    @Test
    void aFlippedByteIsAChecksumMismatchOfThatBlock() throws IOException {
        BlockLocation at = locations.get(517);
        VerificationResult result = tamperAndVerify(() ->
                TestFiles.flipByte(segmentOf(517), at.offset() + SegmentFormat.FRAME_BYTES + at.payloadBytes() / 2));
        assertThat(result.ok()).isFalse();
        assertThat(result.firstBadBlock()).isEqualTo(517);
        assertThat(result.blocksChecked()).isEqualTo(517);
        assertThat(result.problem()).isEqualTo("block 517: checksum mismatch at "
                + SegmentFormat.fileName(at.segment()) + " offset " + at.offset());
    }

    @Test
    void aTruncatedLastSegmentIsReportedAfterTheLastWholeBlock() throws IOException {
        BlockLocation at = locations.get(BLOCKS - 1);
        VerificationResult result = tamperAndVerify(() -> truncate(segmentOf(BLOCKS - 1), at.offset() + 20));
        assertThat(result.firstBadBlock()).isEqualTo(BLOCKS - 1);
        assertThat(result.problem()).startsWith("block " + (BLOCKS - 1) + ": truncated or damaged final record after block " + (BLOCKS - 2));
    }

    @Test
    void aTruncatedMiddleSegmentIsReportedAtItsFirstMissingBlock() throws IOException {
        int block = findBlockInSegment(0, 0.5);
        BlockLocation at = locations.get(block);
        VerificationResult result = tamperAndVerify(() -> truncate(segmentOf(block), at.offset() + 20));
        assertThat(result.firstBadBlock()).isEqualTo(block);
        assertThat(result.problem()).startsWith("block " + block + ": short record");
    }

    @Test
    void aRemovedBlockIsReportedAsMissing() throws IOException {
        VerificationResult result = tamperAndVerify(() -> rewriteRecords(42, 42, new byte[0]));
        assertThat(result.firstBadBlock()).isEqualTo(42);
        assertThat(result.problem()).startsWith("block 42: expected block number 42, found 43");
    }

    @Test
    void swappedBlocksAreReportedAtTheFirst() throws IOException {
        VerificationResult result = tamperAndVerify(() -> {
            byte[] first = recordOf(300);
            byte[] second = recordOf(301);
            rewriteRecords(300, 301, ByteBuffer.allocate(first.length + second.length).put(second).put(first).array());
        });
        assertThat(result.firstBadBlock()).isEqualTo(300);
        assertThat(result.problem()).startsWith("block 300: expected block number 300, found 301");
    }

    @Test
    void aRewrittenHeaderBreaksTheHashLink() throws IOException {
        VerificationResult result = tamperAndVerify(() -> {
            byte[] record = recordOf(250);
            Block block = Block.parseFrom(ByteBuffer.wrap(record, SegmentFormat.FRAME_BYTES,
                    record.length - SegmentFormat.FRAME_BYTES));
            byte[] forged = new byte[32];
            Block changed = block.toBuilder().setHeader(block.getHeader().toBuilder()
                    .setPreviousHash(ByteString.copyFrom(forged))).build();
            // A well-formed record with a valid checksum: only the hash chain can tell.
            ByteBuffer encoded = SegmentFormat.encodeRecord(changed.toByteArray());
            rewriteRecords(250, 250, encoded.array());
        });
        assertThat(result.firstBadBlock()).isEqualTo(250);
        assertThat(result.problem()).isEqualTo("block 250: previous hash does not match block 249");
    }

    @Test
    void aMissingIndexIsReportedAfterTheSegmentsPass() throws IOException {
        VerificationResult result = tamperAndVerify(() ->
                TestFiles.deleteRecursively(ledgerDir.resolve(CHANNEL).resolve("index")));
        assertThat(result.ok()).isFalse();
        assertThat(result.blocksChecked()).isEqualTo(BLOCKS);
        assertThat(result.problem()).contains("index missing");
    }

    private int findBlockInSegment(int segment, double fraction) {
        List<Integer> inSegment = new ArrayList<>();
        for (int n = 0; n < BLOCKS; n++) {
            if (locations.get(n).segment() == segment) {
                inSegment.add(n);
            }
        }
        return inSegment.get((int) (inSegment.size() * fraction));
    }

    private static void truncate(Path file, long sizeBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(sizeBytes);
        }
    }
}
