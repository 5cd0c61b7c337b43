package org.banyan.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.banyan.ledger.blocks.AppendFile;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.ledger.validation.EndorsedBlocks;
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
 * {@link ChannelLedger#commit} of one validated block of {@link EndorsedBlocks} endorser transactions into a
 * RocksDB ledger (block store, index, state, history) in a temporary directory under {@code java.io.tmpdir}: the
 * commit hash, the block appended, state and history applied. The ledger grows through the trial, as a node's.
 *
 * <p>{@code fsync=true} is what a node does (the block store fdatasyncs every block; RocksDB's WAL is not
 * synced, see {@code RocksDbHandle}). {@code fsync=false} replaces the block store's file with one whose
 * {@link AppendFile#force()} does nothing, to show what the disk's flush costs; no node runs that way. Each
 * block is built and signed before its invocation, outside the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StateCommitBenchmark {
    @Param("100")
    public int txsPerBlock;

    @Param({"true", "false"})
    public boolean fsync;

    private Path dir;
    private ChannelLedger ledger;
    private EndorsedBlocks blocks;
    private Block previous;
    private Block next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        blocks = new EndorsedBlocks();
        dir = Files.createTempDirectory("banyan-jmh-commit");
        LedgerOptions options = LedgerOptions.defaults();
        if (!fsync) {
            options = options.withBlockStore(BlockStoreOptions.defaults().withOpener(file -> withoutForce(AppendFile.open(file))));
        }
        ledger = ChannelLedger.create(dir, blocks.genesis(), options);
        previous = blocks.genesis();
        blocks.checkAllValid(blocks.next(previous, txsPerBlock), CommittedLedger.of(ledger));
    }

    @Setup(Level.Invocation)
    public void nextBlock() {
        next = EndorsedBlocks.markedValid(blocks.next(previous, txsPerBlock));
    }

    @Benchmark
    public CommitResult commit() {
        CommitResult result = ledger.commit(next);
        previous = next;
        return result;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ledger.close();
        EndorsedBlocks.deleteTree(dir);
    }

    /** {@code file} with {@link AppendFile#force()} a no-op: the page cache decides when bytes reach the disk. */
    private static AppendFile withoutForce(AppendFile file) {
        return new AppendFile() {
            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public void write(ByteBuffer bytes, long position) throws IOException {
                file.write(bytes, position);
            }

            @Override
            public void force() {
                // Deliberately nothing: this variant measures commit without the disk flush.
            }

            @Override
            public void truncate(long sizeBytes) throws IOException {
                file.truncate(sizeBytes);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
