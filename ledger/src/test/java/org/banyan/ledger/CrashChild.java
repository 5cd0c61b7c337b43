package org.banyan.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The process {@link CrashRecoveryTest} kills: commits TestChains blocks into a ledger until it reaches a
 * height limit, printing {@code durable <number> <header hash hex>} after each commit returns.
 *
 * <p>Restarted after a kill it opens the ledger (recovering it) and continues from the ledger's height. Block
 * {@code n}'s content is a function of (seed, n) alone — a TestChains seeded with both generates it on top of
 * the stored block {@code n - 1} — so a restarted child produces the same chain a never-killed one would
 * (ECDSA signatures aside, which are randomised) without regenerating blocks 0..n-1.
 *
 * <p>Arguments: ledger directory, seed, transactions per block, height limit.
 */
public final class CrashChild {
    private static final int BATCH_BLOCKS = 20;

    private CrashChild() {}

    public static void main(String[] args) {
        Path ledgerDir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int txsPerBlock = Integer.parseInt(args[2]);
        long heightMax = Long.parseLong(args[3]);
        try (ChannelLedger ledger = openOrCreate(ledgerDir, seed)) {
            System.out.println("opened " + ledger.height() + " " + ledger.recovery().describe());
            System.out.flush();
            while (ledger.height() < heightMax) {
                // Generate a batch first, so that commits run back to back and a kill usually lands inside one.
                List<Block> batch = new ArrayList<>(BATCH_BLOCKS);
                Block previous = ledger.block(ledger.height() - 1).orElseThrow();
                for (long n = ledger.height(); n < heightMax && batch.size() < BATCH_BLOCKS; n++) {
                    previous = chainFor(seed, n).next(previous, txsPerBlock);
                    batch.add(previous);
                }
                for (Block next : batch) {
                    ledger.commit(next);
                    System.out.println("durable " + next.getHeader().getNumber() + " "
                            + HexFormat.of().formatHex(BlockHashing.headerHash(next.getHeader())));
                    System.out.flush();
                }
            }
            System.out.println("done " + ledger.height());
        }
    }

    static TestChains chainFor(long seed, long blockNumber) {
        return new TestChains(seed * 1_000_003L + blockNumber, 48, 40);
    }

    private static ChannelLedger openOrCreate(Path ledgerDir, long seed) {
        if (ChannelLedger.exists(ledgerDir, TestChains.CHANNEL)) {
            try {
                return ChannelLedger.open(ledgerDir, TestChains.CHANNEL);
            } catch (LedgerNotFoundException e) {
                // Killed during create, before the genesis block was durable: create again.
            }
        }
        return ChannelLedger.create(ledgerDir, chainFor(seed, 0).genesis());
    }
}
