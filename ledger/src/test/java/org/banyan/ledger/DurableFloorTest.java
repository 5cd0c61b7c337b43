package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.ledger.blocks.BlockStoreCorruptedException;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged final record looks like a torn write, but when state already applied that block it was durable:
 * opening must refuse, not truncate it away, even with the index gone.
 */
class DurableFloorTest {
    @TempDir
    Path ledgerDir;

    @Test
    void damagedLastBlockThatStateAppliedIsCorruptionNotATornTail() throws Exception {
        List<Block> chain = new TestChains(11, 64, 20).chain(6, 3);
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0))) {
            chain.subList(1, chain.size()).forEach(ledger::commit);
        }
        Path channelDir = ledgerDir.resolve(TestChains.CHANNEL);
        Path segment;
        try (Stream<Path> files = Files.list(channelDir.resolve("blocks"))) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".blk")).max(Comparator.naturalOrder())
                    .orElseThrow();
        }
        long sizeBytes = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(sizeBytes - 50);
            int b = file.read();
            file.seek(sizeBytes - 50);
            file.write(b ^ 0x40);
        }
        try (Stream<Path> walk = Files.walk(channelDir.resolve("index"))) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        assertThatThrownBy(() -> ChannelLedger.open(ledgerDir, TestChains.CHANNEL))
                .isInstanceOf(BlockStoreCorruptedException.class)
                .hasMessageContaining("5");
        assertThat(Files.size(segment)).isEqualTo(sizeBytes);
    }
}
