package org.banyan.ledger.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.ledger.ChannelLedger;
import org.hyperledger.fabric.protos.common.Block;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link BlockValidator#validate} of one block of {@link EndorsedBlocks} endorser transactions against a RocksDB
 * ledger at the block's height, as a committing node validates it ({@link ValidityTime#atIssuance()}). Each
 * transaction costs four ECDSA P-256 verifications (client and three endorsers) plus parsing, policy and MVCC.
 *
 * <p>Every invocation gets a new validator, hence a new {@code MspRegistry}: its verdict cache would otherwise
 * answer every signature after the first invocation, which no real block sees. Decoding the four identities
 * again is measured with it (a small share). {@code validationThreads} = 1 validates on the calling thread; more
 * uses a pool, as the node's one thread per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockValidationBenchmark {
    @Param("100")
    public int txsPerBlock;

    @Param({"1", "2"})
    public int validationThreads;

    private Path dir;
    private ChannelLedger ledger;
    private CommittedLedger committed;
    private EndorsedBlocks blocks;
    private Block block;
    private ExecutorService pool;
    private Executor executor;
    private BlockValidator validator;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        blocks = new EndorsedBlocks();
        dir = Files.createTempDirectory("banyan-jmh-validation");
        ledger = ChannelLedger.create(dir, blocks.genesis());
        committed = CommittedLedger.of(ledger);
        block = blocks.next(blocks.genesis(), txsPerBlock);
        blocks.checkAllValid(block, committed);
        pool = validationThreads > 1 ? Executors.newFixedThreadPool(validationThreads) : null;
        executor = pool != null ? pool : Runnable::run;
    }

    @Setup(Level.Invocation)
    public void newValidator() {
        validator = BlockValidator.of(blocks.config(), executor);
    }

    @Benchmark
    public BlockValidation validate() {
        return validator.validate(block, committed, ValidityTime.atIssuance());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
        ledger.close();
        EndorsedBlocks.deleteTree(dir);
    }
}
