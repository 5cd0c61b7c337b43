package org.banyan.ledger.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {
    private static List<Block> chain;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        chain = new TestChains(7, 64, 20).chain(12, 4);
    }

    private BlockStore open() {
        return open(BlockStoreOptions.defaults());
    }

    private BlockStore open(BlockStoreOptions options) {
        return BlockStore.open(dir.resolve("blocks"), dir.resolve("index"), options);
    }

    private Path segment(int number) {
        return dir.resolve("blocks").resolve(SegmentFormat.fileName(number));
    }

    private static void appendAll(BlockStore store, int count) {
        for (int i = (int) store.height(); i < count; i++) {
            store.append(chain.get(i));
        }
    }

    @Test
    void appendsReadsAndIndexesTransactions() {
        try (BlockStore store = open()) {
            assertThat(store.height()).isZero();
            assertThat(store.lastHeaderHash()).isEqualTo(ByteString.EMPTY);
            appendAll(store, 12);
            assertThat(store.height()).isEqualTo(12);
            assertThat(store.lastHeaderHash().toByteArray()).isEqualTo(BlockHashing.headerHash(chain.get(11).getHeader()));
            for (int i = 0; i < 12; i++) {
                assertThat(store.block(i)).contains(chain.get(i));
            }
            assertThat(store.block(12)).isEmpty();
            Block block5 = chain.get(5);
            List<String> txIds = BlockTransactions.txIds(block5);
            for (int i = 0; i < txIds.size(); i++) {
                assertThat(store.txLocation(txIds.get(i)))
                        .contains(new TxLocation(5, i, Blocks.validationCode(block5, i)));
            }
            assertThat(store.txLocation("no-such-tx")).isEmpty();
            List<Long> numbers = new ArrayList<>();
            store.blocksFrom(9).forEachRemaining(block -> numbers.add(block.getHeader().getNumber()));
            assertThat(numbers).containsExactly(9L, 10L, 11L);
        }
    }

    @Test
    void reopensWithTheSameContent() {
        try (BlockStore store = open()) {
            appendAll(store, 6);
        }
        try (BlockStore store = open()) {
            assertThat(store.recovery().clean()).isTrue();
            assertThat(store.height()).isEqualTo(6);
            assertThat(store.block(5)).contains(chain.get(5));
            appendAll(store, 12);
            assertThat(store.block(11)).contains(chain.get(11));
        }
    }

    @Test
    void rollsSegmentsAtTheConfiguredSize() throws IOException {
        BlockStoreOptions small = BlockStoreOptions.defaults().withSegmentBytesMax(20_000);
        try (BlockStore store = open(small)) {
            appendAll(store, 12);
        }
        assertThat(Files.exists(segment(1))).isTrue();
        for (int i = 0; Files.exists(segment(i)); i++) {
            assertThat(Files.size(segment(i))).isLessThanOrEqualTo(20_000);
        }
        try (BlockStore store = open(small)) {
            for (int i = 0; i < 12; i++) {
                assertThat(store.block(i)).contains(chain.get(i));
            }
        }
    }

    @Test
    void rejectsABlockThatDoesNotExtendTheChain() {
        try (BlockStore store = open()) {
            appendAll(store, 3);
            assertThatThrownBy(() -> store.append(chain.get(4)))
                    .isInstanceOf(BlockRejectedException.class).hasMessageContaining("expected block number 3");
            Block wrongLink = chain.get(3).toBuilder()
                    .setHeader(chain.get(3).getHeader().toBuilder().setPreviousHash(ByteString.copyFrom(new byte[32])))
                    .build();
            assertThatThrownBy(() -> store.append(wrongLink))
                    .isInstanceOf(BlockRejectedException.class).hasMessageContaining("previous hash");
            Block wrongData = chain.get(3).toBuilder()
                    .setData(chain.get(4).getData()).build();
            assertThatThrownBy(() -> store.append(wrongData))
                    .isInstanceOf(BlockRejectedException.class).hasMessageContaining("data hash");
            assertThat(store.height()).isEqualTo(3);
            store.append(chain.get(3));
        }
    }

    @Test
    void truncatesAndReportsATornTail() throws IOException {
        try (BlockStore store = open()) {
            appendAll(store, 5);
        }
        long goodSize = Files.size(segment(0));
        // The first 100 bytes of block 5's record: a write cut short by a crash.
        byte[] partial = new byte[100];
        SegmentFormat.encodeRecord(chain.get(5).toByteArray()).get(partial);
        Files.write(segment(0), partial, StandardOpenOption.APPEND);
        try (BlockStore store = open()) {
            RecoveryReport report = store.recovery();
            assertThat(report.bytesTruncated()).isEqualTo(100);
            assertThat(report.truncatedAtOffset()).isEqualTo(goodSize);
            assertThat(report.describe()).contains("truncated torn tail of 100 bytes in segment-000000.blk");
            assertThat(store.height()).isEqualTo(5);
            appendAll(store, 6);
        }
        assertThat(Files.size(segment(0))).isGreaterThan(goodSize);
    }

    @Test
    void truncatesAFullLengthTailRecordWithABadChecksum() throws IOException {
        try (BlockStore store = open()) {
            appendAll(store, 5);
        }
        ByteBuffer record = SegmentFormat.encodeRecord(chain.get(5).toByteArray());
        record.put(record.limit() - 1, (byte) (record.get(record.limit() - 1) ^ 1));
        Files.write(segment(0), record.array(), StandardOpenOption.APPEND);
        try (BlockStore store = open()) {
            assertThat(store.recovery().bytesTruncated()).isEqualTo(record.limit());
            assertThat(store.height()).isEqualTo(5);
        }
    }

    @Test
    void truncatesAZeroFilledTail() throws IOException {
        try (BlockStore store = open()) {
            appendAll(store, 5);
        }
        // The file size reached the disk but the data did not: a crash leaves zeros.
        Files.write(segment(0), new byte[4096], StandardOpenOption.APPEND);
        try (BlockStore store = open()) {
            assertThat(store.recovery().bytesTruncated()).isEqualTo(4096);
            assertThat(store.height()).isEqualTo(5);
        }
    }

    @Test
    void refusesAnImpossibleLengthAfterTheIndexedBlocks() throws IOException {
        try (BlockStore store = open()) {
            appendAll(store, 5);
        }
        Files.write(segment(0), ByteBuffer.allocate(64).putInt(-5).array(), StandardOpenOption.APPEND);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                e -> assertThat(e.blockNumber()).isEqualTo(5));
    }

    @Test
    void refusesToTruncateACorruptRecordInTheMiddle() throws IOException {
        List<BlockLocation> locations = new ArrayList<>();
        try (BlockStore store = open()) {
            for (int i = 0; i < 8; i++) {
                locations.add(store.append(chain.get(i)));
            }
        }
        long sizeBefore = Files.size(segment(0));
        TestFiles.flipByte(segment(0), locations.get(3).offset() + SegmentFormat.FRAME_BYTES + 10);
        // With the index intact, the damage shows when block 3 is read.
        try (BlockStore store = open()) {
            assertThatThrownBy(() -> store.block(3)).isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                    e -> assertThat(e.blockNumber()).isEqualTo(3));
            assertThat(store.block(4)).contains(chain.get(4));
        }
        // Without the index, the rebuild scan finds it and refuses to open.
        TestFiles.deleteRecursively(dir.resolve("index"));
        assertThatThrownBy(this::open).isInstanceOfSatisfying(BlockStoreCorruptedException.class, e -> {
            assertThat(e.blockNumber()).isEqualTo(3);
            assertThat(e.segment()).isEqualTo("segment-000000.blk");
            assertThat(e.offset()).isEqualTo(locations.get(3).offset());
        });
        assertThat(Files.size(segment(0))).isEqualTo(sizeBefore);
    }

    @Test
    void rebuildsAMissingIndexFromTheSegments() throws IOException {
        try (BlockStore store = open(BlockStoreOptions.defaults().withSegmentBytesMax(20_000))) {
            appendAll(store, 12);
        }
        TestFiles.deleteRecursively(dir.resolve("index"));
        try (BlockStore store = open(BlockStoreOptions.defaults().withSegmentBytesMax(20_000))) {
            assertThat(store.recovery().blocksIndexed()).isEqualTo(12);
            assertThat(store.height()).isEqualTo(12);
            String txId = BlockTransactions.txIds(chain.get(7)).get(2);
            assertThat(store.txLocation(txId)).hasValueSatisfying(tx -> assertThat(tx.blockNumber()).isEqualTo(7));
            assertThat(store.block(11)).contains(chain.get(11));
        }
    }

    @Test
    void keepsTheFirstOccurrenceOfADuplicateTransactionId() {
        try (BlockStore store = open()) {
            appendAll(store, 3);
            Block replaying = Blocks.withValidationCodes(
                    Blocks.next(chain.get(2), chain.get(1).getData().getDataList()),
                    List.of(TxValidationCode.DUPLICATE_TXID, TxValidationCode.DUPLICATE_TXID,
                            TxValidationCode.DUPLICATE_TXID, TxValidationCode.DUPLICATE_TXID));
            store.append(replaying);
            String txId = BlockTransactions.txIds(chain.get(1)).get(0);
            assertThat(store.txLocation(txId)).contains(new TxLocation(1, 0, Blocks.validationCode(chain.get(1), 0)));
        }
    }

    @Test
    void aFailedWriteLeavesTheStoreConsistent() throws IOException {
        FailingDisk disk = new FailingDisk();
        try (BlockStore store = open(BlockStoreOptions.defaults().withOpener(disk::open))) {
            appendAll(store, 4);
            long sizeBefore = Files.size(segment(0));
            disk.failNextWriteAfterBytes = 50;
            assertThatThrownBy(() -> store.append(chain.get(4)))
                    .isInstanceOf(BlockWriteException.class).hasMessageContaining("No space left");
            assertThat(Files.size(segment(0))).isEqualTo(sizeBefore);
            assertThat(store.height()).isEqualTo(4);
            appendAll(store, 6);
            assertThat(store.block(5)).contains(chain.get(5));
        }
        try (BlockStore store = open()) {
            assertThat(store.recovery().clean()).isTrue();
            assertThat(store.height()).isEqualTo(6);
        }
    }
}
