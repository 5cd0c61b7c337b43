package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.TestBlocks.block;
import static org.banyan.ledger.TestBlocks.delete;
import static org.banyan.ledger.TestBlocks.metadata;
import static org.banyan.ledger.TestBlocks.put;
import static org.banyan.ledger.TestBlocks.tx;
import static org.banyan.ledger.TestBlocks.valid;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.ledger.blocks.BlockRejectedException;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.blocks.BlockTransactions;
import org.banyan.ledger.blocks.BlockWriteException;
import org.banyan.ledger.blocks.FailingDisk;
import org.banyan.ledger.blocks.TestFiles;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.state.Version;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelLedgerTest {
    private static final Block GENESIS = new TestChains(1, 16, 10).genesis();

    @TempDir
    Path ledgerDir;

    private ChannelLedger create() {
        return ChannelLedger.create(ledgerDir, GENESIS);
    }

    private static ByteString bytes(String value) {
        return ByteString.copyFromUtf8(value);
    }

    @Test
    void appliesOnlyValidTransactionsAndTheLastWriteWins() {
        try (ChannelLedger ledger = create()) {
            TestBlocks.Tx first = valid("asset", put("a", "1"), put("b", "1"));
            TestBlocks.Tx conflicted = tx(TxValidationCode.MVCC_READ_CONFLICT, "asset",
                    List.of(put("c", "x"), put("a", "x")), List.of());
            TestBlocks.Tx second = valid("asset", put("a", "2"));
            CommitResult result = ledger.commit(block(GENESIS, first, conflicted, second));

            assertThat(result.validTxCount()).isEqualTo(2);
            assertThat(result.stateUpdateCount()).isEqualTo(2);
            assertThat(ledger.state("asset", "a")).hasValueSatisfying(v -> {
                assertThat(v.value()).isEqualTo(bytes("2"));
                assertThat(v.version()).isEqualTo(new Version(1, 2));
            });
            assertThat(ledger.state("asset", "b").map(VersionedValue::version)).contains(new Version(1, 0));
            assertThat(ledger.state("asset", "c")).isEmpty();
            assertThat(ledger.history("asset", "a", 10)).containsExactly(
                    new HistoryEntry("asset", "a", 1, 0, false), new HistoryEntry("asset", "a", 1, 2, false));
            assertThat(ledger.history("asset", "c", 10)).isEmpty();
        }
    }

    @Test
    void metadataIsKeptBySetOnAndRemovedWithTheKey() {
        try (ChannelLedger ledger = create()) {
            Block b1 = block(GENESIS, tx(TxValidationCode.VALID, "asset", List.of(put("k", "v1")),
                    List.of(metadata("k", "VALIDATION_PARAMETER", "p1"))));
            ledger.commit(b1);
            assertThat(ledger.state("asset", "k").orElseThrow().metadata())
                    .isEqualTo(Map.of("VALIDATION_PARAMETER", bytes("p1")));

            // A value write alone keeps the metadata; a metadata write alone keeps the value.
            Block b2 = block(b1, valid("asset", put("k", "v2")));
            ledger.commit(b2);
            Block b3 = block(b2, tx(TxValidationCode.VALID, "asset", List.of(),
                    List.of(metadata("k", "VALIDATION_PARAMETER", "p3"), metadata("missing", "X", "y"))));
            ledger.commit(b3);
            VersionedValue k = ledger.state("asset", "k").orElseThrow();
            assertThat(k.value()).isEqualTo(bytes("v2"));
            assertThat(k.metadata()).isEqualTo(Map.of("VALIDATION_PARAMETER", bytes("p3")));
            assertThat(k.version()).isEqualTo(new Version(3, 0));
            assertThat(ledger.state("asset", "missing")).isEmpty();

            // Delete removes value and metadata; a later write starts without metadata.
            Block b4 = block(b3, valid("asset", delete("k")), valid("asset", put("k", "v5")));
            ledger.commit(b4);
            VersionedValue rewritten = ledger.state("asset", "k").orElseThrow();
            assertThat(rewritten.value()).isEqualTo(bytes("v5"));
            assertThat(rewritten.metadata()).isEmpty();
            assertThat(ledger.history("asset", "k", 10)).extracting(HistoryEntry::delete)
                    .containsExactly(false, false, true, false);
        }
    }

    @Test
    void deletesKeysAndPagesRanges() {
        try (ChannelLedger ledger = create()) {
            Block b1 = block(GENESIS, valid("asset", put("a", "1"), put("b", "1"), put("c", "1")));
            ledger.commit(b1);
            ledger.commit(block(b1, valid("asset", delete("b"))));
            assertThat(ledger.state("asset", "b")).isEmpty();
            assertThat(ledger.range("asset", "", "", 10, "").entries()).extracting(e -> e.key())
                    .containsExactly("a", "c");
            assertThat(ledger.history("asset", "b", 10)).extracting(HistoryEntry::delete).containsExactly(false, true);
        }
    }

    @Test
    void findsTransactionsWithTheirValidationCode() {
        try (ChannelLedger ledger = create()) {
            TestBlocks.Tx ok = valid("asset", put("a", "1"));
            TestBlocks.Tx conflicted = tx(TxValidationCode.MVCC_READ_CONFLICT, "asset", List.of(put("a", "2")),
                    List.of());
            ledger.commit(block(GENESIS, ok, conflicted));
            String conflictedId = BlockTransactions.txIds(ledger.block(1).orElseThrow()).get(1);
            assertThat(ledger.transaction(conflictedId)).hasValueSatisfying(tx -> {
                assertThat(tx.blockNumber()).isEqualTo(1);
                assertThat(tx.txIndex()).isEqualTo(1);
                assertThat(tx.validationCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
                assertThat(tx.envelope()).isEqualTo(conflicted.envelope());
            });
            assertThat(ledger.transaction("unknown")).isEmpty();
            assertThat(ledger.containsTransaction(conflictedId)).isTrue();
            assertThat(ledger.containsTransaction("unknown")).isFalse();
        }
    }

    @Test
    void rejectsBlocksOutOfOrderAndCreatingTwice() {
        try (ChannelLedger ledger = create()) {
            Block b1 = block(GENESIS, valid("asset", put("a", "1")));
            assertThatThrownBy(() -> ledger.commit(block(b1))).isInstanceOf(BlockRejectedException.class);
            ledger.commit(b1);
        }
        assertThatThrownBy(this::create).isInstanceOf(LedgerExistsException.class);
        assertThatThrownBy(() -> ChannelLedger.open(ledgerDir, "other")).isInstanceOf(LedgerNotFoundException.class);
    }

    @Test
    void recordsTheSameCommitHashOnTwoLedgersAndADifferentOneWhenStateDiffers(@TempDir Path otherDir) {
        List<Block> chain = new TestChains(3, 16, 5).chain(20, 4);
        try (ChannelLedger one = ChannelLedger.create(ledgerDir, chain.get(0));
             ChannelLedger two = ChannelLedger.create(otherDir, chain.get(0))) {
            for (Block block : chain.subList(1, 20)) {
                assertThat(one.commit(block).commitHash()).isEqualTo(two.commit(block).commitHash());
            }
            assertThat(CommitHash.recorded(one.block(19).orElseThrow())).isEqualTo(one.commitHash());
        }
        // Same blocks, one validation code flipped: different applied updates, different hash from there on.
        Block b1 = chain.get(1);
        ByteString hash = CommitHash.compute(ByteString.EMPTY, b1,
                BlockUpdates.compute(b1, (ns, key) -> Optional.empty()).stateUpdates());
        Block flipped = Blocks.withValidationCodes(b1, Collections.nCopies(
                b1.getData().getDataCount(), TxValidationCode.MVCC_READ_CONFLICT));
        assertThat(CommitHash.compute(ByteString.EMPTY, flipped,
                BlockUpdates.compute(flipped, (ns, key) -> Optional.empty()).stateUpdates())).isNotEqualTo(hash);
    }

    @Test
    void replaysStateAndHistoryAfterTheirDirectoriesAreDeleted() throws IOException {
        List<Block> chain = new TestChains(5, 16, 8).chain(30, 5);
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0))) {
            chain.subList(1, 30).forEach(ledger::commit);
        }
        Path channel = ledgerDir.resolve(TestChains.CHANNEL);
        TestFiles.deleteRecursively(channel.resolve("state"));
        TestFiles.deleteRecursively(channel.resolve("history"));
        try (ChannelLedger ledger = ChannelLedger.open(ledgerDir, TestChains.CHANNEL)) {
            assertThat(ledger.recovery().stateBlocksReplayed()).isEqualTo(30);
            assertThat(ledger.recovery().historyBlocksReplayed()).isEqualTo(30);
            assertThat(LedgerVerifier.verifyDerived(ledger).ok()).isTrue();
            assertThat(LedgerVerifier.verifyBlocks(ledgerDir, TestChains.CHANNEL).ok()).isTrue();
        }
    }

    @Test
    void refusesToOpenWhenStateIsAheadOfTheBlockStore() throws IOException {
        List<Block> chain = new TestChains(5, 16, 8).chain(10, 3);
        long sizeBeforeLast;
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0))) {
            chain.subList(1, 9).forEach(ledger::commit);
            sizeBeforeLast = Files.size(segment0());
            ledger.commit(chain.get(9));
        }
        // Lose block 9 from the block store (as if the disk dropped a durable write) and its index entry.
        try (FileChannel channel = FileChannel.open(segment0(), StandardOpenOption.WRITE)) {
            channel.truncate(sizeBeforeLast);
        }
        TestFiles.deleteRecursively(ledgerDir.resolve(TestChains.CHANNEL).resolve("index"));
        // State and history applied block 9, so it was durable: the block store refuses to open without it
        // (before any replay could run against a shorter chain).
        assertThatThrownBy(() -> ChannelLedger.open(ledgerDir, TestChains.CHANNEL))
                .isInstanceOf(org.banyan.ledger.blocks.BlockStoreCorruptedException.class)
                .hasMessageContaining("height 10 was durable");
    }

    @Test
    void aFailedBlockWriteCommitsNothingAndTheSameBlockCanBeRetried() {
        List<Block> chain = new TestChains(9, 16, 8).chain(6, 4);
        FailingDisk disk = new FailingDisk();
        LedgerOptions options = LedgerOptions.defaults()
                .withBlockStore(BlockStoreOptions.defaults().withOpener(disk::open));
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0), options)) {
            chain.subList(1, 4).forEach(ledger::commit);
            ByteString hashBefore = ledger.commitHash();
            disk.failNextWriteAfterBytes = 100;
            assertThatThrownBy(() -> ledger.commit(chain.get(4))).isInstanceOf(BlockWriteException.class);
            assertThat(ledger.height()).isEqualTo(4);
            assertThat(ledger.commitHash()).isEqualTo(hashBefore);
            ledger.commit(chain.get(4));
            ledger.commit(chain.get(5));
            assertThat(LedgerVerifier.verifyDerived(ledger).ok()).isTrue();
        }
        assertThat(LedgerVerifier.verifyBlocks(ledgerDir, TestChains.CHANNEL).ok()).isTrue();
    }

    @Test
    void readersRunConcurrentlyWithTheWriter() throws Exception {
        List<Block> chain = new TestChains(11, 16, 8).chain(80, 4);
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            ExecutorService readers = Executors.newFixedThreadPool(2);
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                futures.add(readers.submit(() -> {
                    while (!done.get()) {
                        long height = ledger.height();
                        Block last = ledger.block(height - 1).orElseThrow();
                        assertThat(last.getHeader().getNumber()).isEqualTo(height - 1);
                        String txId = BlockTransactions.txIds(last).get(0);
                        assertThat(ledger.transaction(txId)).isPresent();
                        ledger.range("asset", "", "", 100, "");
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            try {
                chain.subList(1, 80).forEach(ledger::commit);
            } finally {
                done.set(true);
                readers.shutdown();
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertThat(reads.get()).isPositive();
        }
    }

    @Test
    void hostsSeveralChannels() {
        Block otherGenesis = renamedGenesis("second");
        try (Ledgers ledgers = new Ledgers(ledgerDir, LedgerOptions.defaults())) {
            ChannelLedger first = ledgers.create(GENESIS);
            ledgers.create(otherGenesis);
            assertThat(ledgers.channels()).containsExactly("second", TestChains.CHANNEL);
            assertThat(ledgers.open(TestChains.CHANNEL)).isSameAs(first);
            assertThatThrownBy(() -> ledgers.open("Bad_Name")).isInstanceOf(IllegalArgumentException.class);
        }
        try (Ledgers ledgers = new Ledgers(ledgerDir, LedgerOptions.defaults())) {
            assertThat(ledgers.open("second").height()).isEqualTo(1);
        }
    }

    private Path segment0() {
        return ledgerDir.resolve(TestChains.CHANNEL).resolve("blocks").resolve("segment-000000.blk");
    }

    private static Block renamedGenesis(String channelId) {
        try {
            var envelope = Envelope.parseFrom(GENESIS.getData().getData(0));
            var payload = Payload.parseFrom(envelope.getPayload());
            var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader())
                    .toBuilder().setChannelId(channelId).build();
            payload = payload.toBuilder().setHeader(payload.getHeader().toBuilder()
                    .setChannelHeader(header.toByteString())).build();
            envelope = envelope.toBuilder().setPayload(payload.toByteString()).build();
            return Blocks.withValidationCodes(
                    Blocks.create(0, ByteString.EMPTY, List.of(envelope.toByteString())),
                    List.of(TxValidationCode.VALID));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
