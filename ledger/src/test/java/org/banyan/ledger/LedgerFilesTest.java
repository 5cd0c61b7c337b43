package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerFilesTest {
    @TempDir
    Path ledgerDir;

    @Test
    void readsBlocksWhileTheLedgerIsOpenAndChangesNothing() {
        List<Block> chain = new TestChains(3, 32, 50).chain(6, 4);
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0))) {
            chain.subList(1, chain.size()).forEach(ledger::commit);
            Block read = LedgerFiles.readBlock(ledgerDir, TestChains.CHANNEL, 3).orElseThrow();
            assertThat(read.getHeader()).isEqualTo(chain.get(3).getHeader());
            assertThat(read.getData()).isEqualTo(chain.get(3).getData());
            assertThat(LedgerFiles.readBlock(ledgerDir, TestChains.CHANNEL, 6)).isEmpty();
            assertThat(LedgerVerifier.verifyBlocks(ledgerDir, TestChains.CHANNEL).ok()).isTrue();
        }
    }

    @Test
    void unknownChannelIsAClearError() {
        assertThatThrownBy(() -> LedgerFiles.readBlock(ledgerDir, "nochannel", 0))
                .isInstanceOf(LedgerNotFoundException.class);
    }
}
