package org.banyan.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.banyan.consensus.Block;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Height;
import org.banyan.consensus.Payload;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.Round;
import org.banyan.consensus.SafetyState;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetyStoreTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults(4);
    private static final SafetyStateCodec CODEC = new SafetyStateCodec(CodecLimits.from(CONFIG));

    @TempDir
    Path dir;

    private SafetyStore store() {
        return new SafetyStore(dir.resolve("ch1.safety"), CODEC, CONFIG.treeBlocksMax());
    }

    private static Block block(long round, String txId) {
        return new Block(new Round(round), new ReplicaId((int) (round % 4)), Block.genesisQc(),
                List.of(new Payload(txId, txId.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void missingFileLoadsTheInitialState() throws Exception {
        SafetyStateCodec.Saved saved = store().load();
        assertThat(saved.state()).isEqualTo(SafetyState.initial());
        assertThat(saved.blocks()).isEmpty();
    }

    @Test
    void savedStateAndBlocksSurviveARestart() throws Exception {
        SafetyStore store = store();
        store.load();
        SafetyState voted = new SafetyState(new Round(1), Round.ZERO, Block.genesisQc(), null);
        Block b1 = block(1, "tx1");
        assertThat(store.save(voted, List.of(b1), Height.ZERO)).isTrue();
        assertThat(store.save(null, List.of(), Height.ZERO)).isFalse();

        SafetyStateCodec.Saved reloaded = store().load();
        assertThat(reloaded.state()).isEqualTo(voted);
        assertThat(reloaded.blocks()).containsExactly(b1);
        assertThat(Files.exists(dir.resolve("ch1.safety.tmp"))).isFalse();
    }

    @Test
    void committedBlocksAreDroppedFromTheRecord() throws Exception {
        SafetyStore store = store();
        store.load();
        store.save(null, List.of(block(1, "tx1")), Height.ZERO);
        assertThat(store.savedBlocks()).isEqualTo(1);
        // Both blocks extend genesis (height 1); once height 1 is committed neither is needed after a restart.
        store.save(null, List.of(block(2, "tx2")), new Height(1));
        assertThat(store.savedBlocks()).isZero();
        assertThat(store().load().blocks()).isEmpty();
    }

    @Test
    void aCorruptedFileIsATypedErrorNotAReset() throws Exception {
        SafetyStore store = store();
        store.load();
        store.save(new SafetyState(new Round(7), Round.ZERO, Block.genesisQc(), null), List.of(), Height.ZERO);
        Path file = dir.resolve("ch1.safety");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> store().load()).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("ch1.safety").hasMessageContaining("checksum");
    }

    @Test
    void aTornFileIsATypedError() throws Exception {
        Files.write(dir.resolve("ch1.safety"), new byte[] {'B', 'S'});
        assertThatThrownBy(() -> store().load()).isInstanceOf(CorruptStateException.class);
    }

    @Test
    void eachBlockIsWrittenOnceAndATornBlockFileIsDroppedNotFatal() throws Exception {
        SafetyStore store = store();
        store.load();
        Block b1 = block(1, "tx1");
        store.save(new SafetyState(new Round(1), Round.ZERO, Block.genesisQc(), null), List.of(b1), Height.ZERO);
        Path blocksDir = dir.resolve("ch1.safety.blocks");
        Path b1File;
        try (var files = Files.list(blocksDir)) {
            b1File = files.findFirst().orElseThrow();
        }
        long written = Files.getLastModifiedTime(b1File).toMillis();
        Thread.sleep(20);
        // The same block again (another step still holding it) and a new vote: the block file is not rewritten.
        store.save(new SafetyState(new Round(2), Round.ZERO, Block.genesisQc(), null), List.of(b1), Height.ZERO);
        assertThat(Files.getLastModifiedTime(b1File).toMillis()).isEqualTo(written);
        assertThat(Files.size(dir.resolve("ch1.safety"))).as("the state record holds no block").isLessThan(512);

        Files.write(blocksDir.resolve("00000000000000000001-torn.blk"), new byte[] {'B', 'S', 'S'});
        SafetyStateCodec.Saved reloaded = store().load();
        assertThat(reloaded.state().lastVotedRound()).isEqualTo(new Round(2));
        assertThat(reloaded.blocks()).containsExactly(b1);
        assertThat(Files.exists(blocksDir.resolve("00000000000000000001-torn.blk"))).isFalse();
    }

    @Test
    void saveBeforeLoadIsRejected() {
        assertThatThrownBy(() -> store().save(SafetyState.initial(), List.of(), Height.ZERO))
                .isInstanceOf(IllegalStateException.class);
    }
}
