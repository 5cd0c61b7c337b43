package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.ledger.blocks.BlockStore;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.blocks.SegmentFormat;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledger verify} beside a running node: appends during the scan are not failures. */
class SegmentVerifierTest {
    private static final String CHANNEL = TestChains.CHANNEL;

    @TempDir
    Path ledgerDir;

    private BlockStore openStore(BlockStoreOptions options) {
        Path channelDir = ledgerDir.resolve(CHANNEL);
        return BlockStore.open(channelDir.resolve("blocks"), channelDir.resolve("index"), options);
    }

    @Test
    void verifyPassesWhileAnotherThreadAppends() throws Exception {
        List<Block> chain = new TestChains(9, 64, 50).chain(400, 3);
        // Small segments so that the writer also rolls segments during the scans.
        try (BlockStore store = openStore(BlockStoreOptions.defaults().withSegmentBytesMax(40_000))) {
            chain.subList(0, 20).forEach(store::append);
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> writerError = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    chain.subList(20, chain.size()).forEach(store::append);
                } catch (Throwable t) {
                    writerError.set(t);
                } finally {
                    done.set(true);
                }
            });
            writer.start();
            int verifications = 0;
            while (!done.get() || verifications < 3) {
                VerificationResult result = LedgerVerifier.verifyBlocks(ledgerDir, CHANNEL);
                assertThat(result.ok()).as(result.describe()).isTrue();
                assertThat(result.blocksChecked()).isGreaterThanOrEqualTo(20);
                verifications++;
            }
            writer.join();
            assertThat(writerError.get()).isNull();
            VerificationResult last = LedgerVerifier.verifyBlocks(ledgerDir, CHANNEL);
            assertThat(last.ok()).as(last.describe()).isTrue();
            assertThat(last.blocksChecked()).isEqualTo(chain.size());
        }
    }

    @Test
    void aPartialRecordAfterTheIndexedHeightIsInFlightNotAFailure() throws Exception {
        List<Block> chain = new TestChains(9, 64, 50).chain(6, 3);
        try (BlockStore store = openStore(BlockStoreOptions.defaults())) {
            chain.subList(0, 5).forEach(store::append);
        }
        Path segment = ledgerDir.resolve(CHANNEL).resolve("blocks").resolve(SegmentFormat.fileName(0));
        byte[] partial = new byte[100];
        SegmentFormat.encodeRecord(chain.get(5).toByteArray()).get(partial);
        // What a reader sees while the writer is between write and fsync of block 5.
        Files.write(segment, partial, StandardOpenOption.APPEND);

        VerificationResult result = LedgerVerifier.verifyBlocks(ledgerDir, CHANNEL);
        assertThat(result.ok()).as(result.describe()).isTrue();
        assertThat(result.blocksChecked()).isEqualTo(5);
        assertThat(result.describe()).contains("block 5").contains("in flight");
    }
}
