package org.banyan.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.banyan.ledger.blocks.BlockIndex;
import org.banyan.ledger.blocks.BlockIndexException;
import org.banyan.ledger.blocks.BlockStoreOptions;
import org.banyan.ledger.storage.StorageException;

/**
 * Offline and online checks of a channel ledger, for {@code banyan ledger verify} and the crash tests.
 *
 * <ul>
 *   <li>{@link #verifyBlocks} reads the segment files directly, not trusting the index: every record's
 *       checksum, block numbers consecutive from 0, each previous hash equal to the preceding header's hash,
 *       each data hash equal to the hash of the data; then that the index agrees.
 *   <li>{@link #verifyDerived} checks that a ledger's state and history equal a replay of its block store
 *       into fresh in-memory stores, and that every recorded commit hash matches the replay.
 * </ul>
 */
public final class LedgerVerifier {
    private LedgerVerifier() {}

    /**
     * Checks the block store of {@code ledgerDir/channelId} written with the default options. Read-only; works
     * while a node has it open (blocks appended during the check are not failures).
     */
    public static VerificationResult verifyBlocks(Path ledgerDir, String channelId) {
        return verifyBlocks(ledgerDir, channelId, BlockStoreOptions.defaults());
    }

    /**
     * Checks the block store of {@code ledgerDir/channelId}, trusting a length field up to the store's {@link
     * BlockStoreOptions#recordBytesMax()}. Read-only; works while a node has it open.
     */
    public static VerificationResult verifyBlocks(Path ledgerDir, String channelId, BlockStoreOptions options) {
        Path channelDir = ledgerDir.resolve(ChannelIds.check(channelId));
        Path blocksDir = channelDir.resolve("blocks");
        if (!Files.isDirectory(blocksDir)) {
            return VerificationResult.failed(0, 0, -1, "no block store at " + blocksDir);
        }
        Optional<BlockIndex> index = Optional.empty();
        try {
            index = BlockIndex.openReadOnly(channelDir.resolve("index"));
            return new SegmentVerifier(blocksDir, index, options.recordBytesMax()).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + blocksDir, e);
        } catch (StorageException e) {
            throw new BlockIndexException("cannot read the index of " + channelDir + ": " + e.getMessage(), e);
        } finally {
            index.ifPresent(BlockIndex::close);
        }
    }

    /**
     * Replays the ledger's blocks into in-memory stores and compares every state entry and every written key's
     * history with the ledger's own stores. Call while no commit runs.
     */
    public static VerificationResult verifyDerived(ChannelLedger ledger) {
        return new DerivedStoreVerifier(ledger).run();
    }
}
