package org.banyan.ledger.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a store under running readers must neither crash the JVM (RocksDB use-after-free) nor leak files. */
class BlockStoreCloseTest {
    private static final int READERS = 4;

    @TempDir
    Path dir;

    @Test
    void closeWhileReadersRunFailsTheReadsCleanly() throws Exception {
        List<Block> chain = new TestChains(5, 16, 20).chain(20, 2);
        String txId = BlockTransactions.txIds(chain.get(7)).get(1);
        for (int round = 0; round < 20; round++) {
            Path roundDir = dir.resolve("round-" + round);
            BlockStore store = BlockStore.open(roundDir.resolve("blocks"), roundDir.resolve("index"),
                    BlockStoreOptions.defaults());
            chain.forEach(store::append);
            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            CountDownLatch started = new CountDownLatch(READERS);
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> {
                    started.countDown();
                    long reads = 0;
                    while (true) {
                        try {
                            assertThat(store.block(reads % 20)).isPresent();
                            assertThat(store.txLocation(txId)).isPresent();
                            reads++;
                        } catch (IllegalStateException closed) {
                            assertThat(closed).hasMessageContaining("closed");
                            return reads;
                        }
                    }
                }));
            }
            started.await();
            store.close();
            for (Future<Long> reader : readers) {
                assertThat(reader.get(10, TimeUnit.SECONDS)).isNotNegative();
            }
            pool.shutdown();
            assertThatThrownBy(() -> store.block(0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.txLocation(txId)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.append(chain.get(0))).isInstanceOf(IllegalStateException.class);
            store.close(); // a second close does nothing
        }
    }
}
