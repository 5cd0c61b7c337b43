package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.TestBlocks.block;
import static org.banyan.ledger.TestBlocks.put;
import static org.banyan.ledger.TestBlocks.valid;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.banyan.ledger.blocks.BlockRejectedException;
import org.banyan.ledger.blocks.BlockStore;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.RocksDbHistoryStore;
import org.banyan.ledger.state.RocksDbStateStore;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.ledger.state.Version;
import org.banyan.ledger.storage.StorageException;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ledger does when state or history fail or disagree with the block store. */
class DerivedStoresTest {
    private static final Block GENESIS = new TestChains(1, 16, 10).genesis();

    @TempDir
    Path ledgerDir;

    private Path channel() {
        return ledgerDir.resolve(TestChains.CHANNEL);
    }

    // --- a commit whose block is durable but whose derived stores fail

    @Test
    void aStateFailureAfterTheAppendSaysTheBlockIsDurableAndRefusesCommitsUntilReopened() {
        assertBehindUntilReopened(true);
    }

    @Test
    void aHistoryFailureAfterTheAppendSaysTheBlockIsDurableAndRefusesCommitsUntilReopened() {
        assertBehindUntilReopened(false);
    }

    private void assertBehindUntilReopened(boolean failState) {
        TamperingStores stores = new TamperingStores(LedgerOptions.ROCKSDB);
        Block b1 = block(GENESIS, valid("asset", put("a", "1")));
        Block b2 = block(b1, valid("asset", put("a", "2"), put("b", "2")));
        Block b3 = block(b2, valid("asset", put("c", "3")));
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, GENESIS, stores.options())) {
            ledger.commit(b1);
            if (failState) {
                stores.failNextStateApply = true;
            } else {
                stores.failNextHistoryApply = true;
            }
            assertThatThrownBy(() -> ledger.commit(b2)).isInstanceOfSatisfying(DerivedStoresBehindException.class,
                    e -> {
                        assertThat(e.blockNumber()).isEqualTo(2);
                        assertThat(e.commitHash()).isEqualTo(ledger.commitHash());
                        assertThat(e.getCause()).isInstanceOf(StorageException.class);
                        assertThat(e).hasMessageContaining("block 2 is durable").hasMessageContaining("reopen");
                    });
            assertThat(ledger.height()).isEqualTo(3);
            assertThat(CommitHash.recorded(ledger.block(2).orElseThrow())).isEqualTo(ledger.commitHash());
            // Neither the same block again nor the next one is accepted, and neither reads as "rejected".
            assertThatThrownBy(() -> ledger.commit(b2)).isInstanceOf(DerivedStoresBehindException.class)
                    .isNotInstanceOf(BlockRejectedException.class);
            assertThatThrownBy(() -> ledger.commit(b3)).isInstanceOfSatisfying(DerivedStoresBehindException.class,
                    e -> assertThat(e.blockNumber()).isEqualTo(2));
        }
        try (ChannelLedger ledger = ChannelLedger.open(ledgerDir, TestChains.CHANNEL, stores.options())) {
            assertThat(failState ? ledger.recovery().stateBlocksReplayed() : ledger.recovery().historyBlocksReplayed())
                    .isEqualTo(1);
            assertThat(ledger.state("asset", "b").orElseThrow().version()).isEqualTo(new Version(2, 0));
            assertThat(ledger.history("asset", "a", 10)).hasSize(2);
            ledger.commit(b3);
            assertThat(LedgerVerifier.verifyDerived(ledger).ok()).isTrue();
        }
    }

    // --- a stored block without a usable commit hash

    @Test
    void openingRefusesAReplayedBlockWithoutACommitHash() {
        assertReplayRefuses(Blocks.withMetadata(block(nextAfterB1(), valid("asset", put("x", "1"))),
                BlockMetadataSlots.COMMIT_HASH, ByteString.EMPTY));
    }

    @Test
    void openingRefusesAReplayedBlockWithAnUnparseableCommitHash() {
        assertReplayRefuses(Blocks.withMetadata(block(nextAfterB1(), valid("asset", put("x", "1"))),
                BlockMetadataSlots.COMMIT_HASH, ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01})));
    }

    private Block b1;

    private Block nextAfterB1() {
        b1 = block(GENESIS, valid("asset", put("a", "1")));
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, GENESIS)) {
            ledger.commit(b1);
        }
        return b1;
    }

    private void assertReplayRefuses(Block unstamped) {
        try (BlockStore blocks = BlockStore.open(channel().resolve("blocks"), channel().resolve("index"),
                BlockStoreOptions.defaults())) {
            blocks.append(unstamped);
        }
        assertThatThrownBy(() -> ChannelLedger.open(ledgerDir, TestChains.CHANNEL))
                .isInstanceOf(LedgerCorruptedException.class).hasMessageStartingWith("block 2:")
                .hasMessageContaining("COMMIT_HASH");
    }

    @Test
    void theVerifierNamesABlockBelowTheSavepointWithoutACommitHash() {
        Block b2 = block(nextAfterB1(), valid("asset", put("x", "2")));
        Block b3 = block(b2, valid("asset", put("x", "3")));
        // Block 2 stored without a hash, block 3 with one, and state and history already past both: opening
        // replays nothing, so only the verifier can find block 2.
        try (BlockStore blocks = BlockStore.open(channel().resolve("blocks"), channel().resolve("index"),
                BlockStoreOptions.defaults());
             RocksDbStateStore state = RocksDbStateStore.open(channel().resolve("state"));
             RocksDbHistoryStore history = RocksDbHistoryStore.open(channel().resolve("history"))) {
            blocks.append(b2);
            blocks.append(CommitHash.stamp(b3, ByteString.copyFrom(new byte[32])));
            for (Block b : List.of(b2, b3)) {
                BlockUpdates updates = BlockUpdates.compute(b, state::get);
                state.apply(b.getHeader().getNumber(), updates.stateUpdates());
                history.apply(b.getHeader().getNumber(), updates.historyEntries());
            }
        }
        try (ChannelLedger ledger = ChannelLedger.open(ledgerDir, TestChains.CHANNEL)) {
            VerificationResult result = LedgerVerifier.verifyDerived(ledger);
            assertThat(result.ok()).isFalse();
            assertThat(result.problem()).contains("block 2:").contains("COMMIT_HASH");
        }
    }

    @Test
    void recordedRejectsMissingUnparseableAndWronglySizedHashes() {
        Block plain = block(GENESIS, valid("asset", put("a", "1")));
        ByteString hash = ByteString.copyFrom(new byte[32]);
        assertThat(CommitHash.recorded(CommitHash.stamp(plain, hash))).isEqualTo(hash);
        assertThatThrownBy(() -> CommitHash.recorded(plain)).isInstanceOf(LedgerCorruptedException.class)
                .hasMessageStartingWith("block 1:");
        assertThatThrownBy(() -> CommitHash.recorded(CommitHash.stamp(plain, ByteString.copyFromUtf8("short"))))
                .isInstanceOf(LedgerCorruptedException.class).hasMessageContaining("5 bytes");
        Block garbage = Blocks.withMetadata(plain, BlockMetadataSlots.COMMIT_HASH,
                ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
        assertThatThrownBy(() -> CommitHash.recorded(garbage)).isInstanceOf(LedgerCorruptedException.class);
        // The genesis block, committed by create(), carries a hash like every other block.
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, GENESIS)) {
            assertThat(CommitHash.recorded(ledger.block(0).orElseThrow())).hasSize(32);
        }
    }

    // --- the verifier finds keys only one side holds

    @Test
    void theVerifierFindsANamespaceOnlyTheStateStoreHolds() {
        TamperingStores stores = new TamperingStores(LedgerOptions.ROCKSDB);
        assertVerifierFinds(stores, () -> stores.stateTamper = updates -> TamperingStores.plus(updates,
                new StateUpdate("ghost", "k", false, ByteString.copyFromUtf8("boo"), null, new Version(2, 0))),
                "state: namespace ghost has keys in the ledger's state store but none in a replay");
    }

    @Test
    void theVerifierFindsAKeyOnlyTheStateStoreHolds() {
        TamperingStores stores = new TamperingStores(LedgerOptions.IN_MEMORY);
        assertVerifierFinds(stores, () -> stores.stateTamper = updates -> TamperingStores.plus(updates,
                new StateUpdate("asset", "zzz", false, ByteString.copyFromUtf8("boo"), null, new Version(2, 0))),
                "state of asset: key zzz is in the ledger's state store but not in a replay");
    }

    @Test
    void theVerifierFindsAKeyTheStateStoreLacks() {
        TamperingStores stores = new TamperingStores(LedgerOptions.ROCKSDB);
        assertVerifierFinds(stores, () -> stores.stateTamper = updates -> updates.stream()
                .filter(u -> !u.key().equals("c")).toList(),
                "state of asset: key c is in a replay of the block store but not in the ledger's state store");
    }

    @Test
    void theVerifierFindsDifferingMetadata() {
        TamperingStores stores = new TamperingStores(LedgerOptions.ROCKSDB);
        assertVerifierFinds(stores, () -> stores.stateTamper = updates -> updates.stream()
                .map(u -> new StateUpdate(u.namespace(), u.key(), u.delete(), u.value(),
                        new TreeMap<>(Map.of("VALIDATION_PARAMETER", ByteString.copyFromUtf8("p"))), u.version()))
                .toList(), "state of asset/a differs in metadata");
    }

    @Test
    void theVerifierFindsAHistoryKeyOnlyTheHistoryStoreHolds() {
        TamperingStores stores = new TamperingStores(LedgerOptions.ROCKSDB);
        assertVerifierFinds(stores, () -> stores.historyTamper = entries -> TamperingStores.plus(entries,
                new HistoryEntry("ghost", "k", 2, 0, false)),
                "history: ghost/k has entries in the ledger's history store but none in a replay");
    }

    @Test
    void theVerifierFindsAHistoryEntryOnlyTheHistoryStoreHolds() {
        TamperingStores stores = new TamperingStores(LedgerOptions.IN_MEMORY);
        assertVerifierFinds(stores, () -> stores.historyTamper = entries -> TamperingStores.plus(entries,
                new HistoryEntry("asset", "a", 2, 7, true)),
                "history of asset/a: write at (2, 7) is in the ledger's history store but not in a replay");
    }

    private void assertVerifierFinds(TamperingStores stores, Runnable tamper, String problem) {
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, GENESIS, stores.options())) {
            Block b1 = block(GENESIS, valid("asset", put("a", "1"), put("b", "1")));
            ledger.commit(b1);
            assertThat(LedgerVerifier.verifyDerived(ledger).ok()).isTrue();
            tamper.run();
            Block b2 = block(b1, valid("asset", put("a", "2"), put("b", "2"), put("c", "2")));
            ledger.commit(b2);
            stores.stateTamper = updates -> updates;
            stores.historyTamper = entries -> entries;
            ledger.commit(block(b2, valid("other", put("z", "3"))));
            VerificationResult result = LedgerVerifier.verifyDerived(ledger);
            assertThat(result.ok()).isFalse();
            assertThat(result.problem()).contains(problem);
        }
    }
}
