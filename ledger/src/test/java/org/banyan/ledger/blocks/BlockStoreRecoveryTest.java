package org.banyan.ledger.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery must never truncate a record that could have been reported durable. */
class BlockStoreRecoveryTest {
    private static final int BLOCKS = 100;
    private static List<Block> chain;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        chain = new TestChains(11, 16, 20).chain(BLOCKS, 2);
    }

    private BlockStore open(BlockStoreOptions options) {
        return BlockStore.open(dir.resolve("blocks"), dir.resolve("index"), options);
    }

    private Path segment0() {
        return dir.resolve("blocks").resolve(SegmentFormat.fileName(0));
    }

    private List<BlockLocation> write(int count) {
        List<BlockLocation> locations = new ArrayList<>();
        try (BlockStore store = open(BlockStoreOptions.defaults())) {
            for (int i = 0; i < count; i++) {
                locations.add(store.append(chain.get(i)));
            }
        }
        return locations;
    }

    private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    @Test
    void aZeroLengthFieldFollowedByDataIsCorruptionNotATornTail() throws IOException {
        List<BlockLocation> locations = write(BLOCKS);
        overwrite(segment0(), locations.get(40).offset(), new byte[4]);
        TestFiles.deleteRecursively(dir.resolve("index"));
        byte[] before = Files.readAllBytes(segment0());

        assertThatThrownBy(() -> open(BlockStoreOptions.defaults()))
                .isInstanceOfSatisfying(BlockStoreCorruptedException.class, e -> {
                    assertThat(e.blockNumber()).isEqualTo(40);
                    assertThat(e.offset()).isEqualTo(locations.get(40).offset());
                })
                .hasMessageContaining("block 40");
        assertThat(Files.readAllBytes(segment0())).isEqualTo(before);
    }

    @Test
    void aLengthFieldPointingPastTheEndWithRecordsAfterItIsCorruption() throws IOException {
        List<BlockLocation> locations = write(BLOCKS);
        long size = Files.size(segment0());
        long at = locations.get(40).offset();
        // Claims more bytes than the file holds: looks like a short (torn) record, but blocks 41.. follow it.
        overwrite(segment0(), at, ByteBuffer.allocate(4).putInt((int) (size - at)).array());
        TestFiles.deleteRecursively(dir.resolve("index"));
        byte[] before = Files.readAllBytes(segment0());

        assertThatThrownBy(() -> open(BlockStoreOptions.defaults()))
                .isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                        e -> assertThat(e.blockNumber()).isEqualTo(40));
        assertThat(Files.readAllBytes(segment0())).isEqualTo(before);
    }

    @Test
    void aZeroLengthAfterTheIndexedBlocksFollowedByDataIsCorruption() throws IOException {
        write(5);
        ByteBuffer record = SegmentFormat.encodeRecord(chain.get(5).toByteArray());
        byte[] tail = new byte[record.remaining()];
        record.get(tail);
        tail[0] = 0;
        tail[1] = 0;
        tail[2] = 0;
        tail[3] = 0;
        Files.write(segment0(), tail, StandardOpenOption.APPEND);
        long size = Files.size(segment0());

        assertThatThrownBy(() -> open(BlockStoreOptions.defaults()))
                .isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                        e -> assertThat(e.blockNumber()).isEqualTo(5));
        assertThat(Files.size(segment0())).isEqualTo(size);
    }

    @Test
    void withoutAnIndexATornFinalRecordIsStillTruncated() throws IOException {
        List<BlockLocation> locations = write(10);
        long goodSize = Files.size(segment0());
        byte[] partial = new byte[60];
        SegmentFormat.encodeRecord(chain.get(10).toByteArray()).get(partial);
        Files.write(segment0(), partial, StandardOpenOption.APPEND);
        TestFiles.deleteRecursively(dir.resolve("index"));

        try (BlockStore store = open(BlockStoreOptions.defaults())) {
            assertThat(store.height()).isEqualTo(10);
            assertThat(store.recovery().bytesTruncated()).isEqualTo(60);
            assertThat(store.recovery().truncatedAtOffset()).isEqualTo(goodSize);
            assertThat(store.recovery().indexRebuilt()).isTrue();
            assertThat(store.recovery().blocksIndexed()).isEqualTo(10);
            assertThat(store.block(9)).contains(chain.get(9));
        }
        assertThat(locations.get(9).endOffset()).isEqualTo(goodSize);
    }

    @Test
    void withoutAnIndexAZeroFilledTailIsStillTruncated() throws IOException {
        write(10);
        Files.write(segment0(), new byte[5000], StandardOpenOption.APPEND);
        TestFiles.deleteRecursively(dir.resolve("index"));

        try (BlockStore store = open(BlockStoreOptions.defaults())) {
            assertThat(store.height()).isEqualTo(10);
            assertThat(store.recovery().bytesTruncated()).isEqualTo(5000);
        }
    }

    @Test
    void anEmptyIndexOverFullSegmentsIsReportedAsRebuilt() throws IOException {
        write(10);
        TestFiles.deleteRecursively(dir.resolve("index"));

        try (BlockStore store = open(BlockStoreOptions.defaults())) {
            assertThat(store.recovery().indexRebuilt()).isTrue();
            assertThat(store.recovery().clean()).isFalse();
        }
    }

    @Test
    void refusesToTruncateBelowTheDurableFloor() throws IOException {
        write(10);
        byte[] partial = new byte[60];
        SegmentFormat.encodeRecord(chain.get(10).toByteArray()).get(partial);
        Files.write(segment0(), partial, StandardOpenOption.APPEND);
        long size = Files.size(segment0());

        // The state store says block 10 was applied, so block 10 was durable: its torn record is lost data.
        assertThatThrownBy(() -> open(BlockStoreOptions.defaults().withDurableHeightMin(11)))
                .isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                        e -> assertThat(e.blockNumber()).isEqualTo(10));
        assertThat(Files.size(segment0())).isEqualTo(size);
        try (BlockStore store = open(BlockStoreOptions.defaults().withDurableHeightMin(10))) {
            assertThat(store.height()).isEqualTo(10);
            assertThat(store.recovery().bytesTruncated()).isEqualTo(60);
        }
    }

    @Test
    void refusesASegmentStoreShorterThanTheDurableFloor() {
        write(10);
        assertThatThrownBy(() -> open(BlockStoreOptions.defaults().withDurableHeightMin(12)))
                .isInstanceOfSatisfying(BlockStoreCorruptedException.class,
                        e -> assertThat(e.blockNumber()).isEqualTo(10));
    }
}
