package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.crypto.Assert;
import org.banyan.ledger.blocks.BlockRejectedException;
import org.banyan.ledger.blocks.BlockStore;
import org.banyan.ledger.blocks.TxLocation;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateStore;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.ledger.storage.Directories;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One channel's ledger in {@code LEDGER_DIR/<channelId>/}: {@code blocks/} (segments), {@code index/} (block
 * index), {@code state/} and {@code history/}.
 *
 * <p><b>Commit order.</b> {@link #commit} computes the block's updates and commit hash, appends the block with
 * that hash to the block store (fsynced: from here on the block is durable), then applies the updates to
 * state and history with the block number as savepoint. A crash at any point leaves the derived stores at or
 * behind the block store, never ahead. A failure to write state or history after the append leaves the ledger
 * refusing commits with {@link DerivedStoresBehindException} until it is reopened.
 *
 * <p><b>Recovery.</b> {@link #open} lets the block store truncate a torn tail, then replays blocks into state
 * from its savepoint + 1 and into history from its own savepoint + 1, checking each replayed block's commit
 * hash. A derived store ahead of the block store is corruption ({@link LedgerCorruptedException}).
 *
 * <p><b>Threads.</b> One writer calls {@link #commit} (others are serialised by a lock); reads are safe from any
 * thread and may see state one block behind the block store while a commit runs.
 */
public final class ChannelLedger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChannelLedger.class.getName());
    private static final String BLOCKS = "blocks";
    private static final String INDEX = "index";
    private static final String STATE = "state";
    private static final String HISTORY = "history";

    private final String channelId;
    private final BlockStore blocks;
    private final StateStore state;
    private final HistoryStore history;
    private final LedgerRecovery recovery;
    private final ReentrantLock commitLock = new ReentrantLock();
    private ByteString commitHash; // guarded by commitLock
    /** Set when a durable block could not be applied to state or history; cleared only by reopening. */
    private DerivedStoresBehindException derivedBehind; // guarded by commitLock

    private ChannelLedger(String channelId, BlockStore blocks, StateStore state, HistoryStore history,
                          LedgerRecovery recovery, ByteString commitHash) {
        this.channelId = channelId;
        this.blocks = blocks;
        this.state = state;
        this.history = history;
        this.recovery = recovery;
        this.commitHash = commitHash;
    }

    /** Creates the channel's ledger from its genesis block, with RocksDB state and history. */
    public static ChannelLedger create(Path ledgerDir, Block genesis) {
        return create(ledgerDir, genesis, LedgerOptions.defaults());
    }

    /**
     * Creates the ledger of the genesis block's channel and commits the genesis block. A directory left by a
     * create that crashed before the genesis block was durable is reused.
     *
     * @throws LedgerExistsException when the channel already has blocks
     * @throws IllegalArgumentException when the block is not a genesis block of a validly named channel
     */
    public static ChannelLedger create(Path ledgerDir, Block genesis, LedgerOptions options) {
        String channelId = ChannelIds.ofGenesis(genesis);
        ChannelLedger ledger = openStores(ledgerDir, channelId, options);
        try {
            if (ledger.height() > 0) {
                throw new LedgerExistsException(channelId, ledgerDir);
            }
            ledger.commit(genesis);
            return ledger;
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /** Opens an existing channel ledger with RocksDB state and history, recovering as described above. */
    public static ChannelLedger open(Path ledgerDir, String channelId) {
        return open(ledgerDir, channelId, LedgerOptions.defaults());
    }

    /**
     * Opens an existing channel ledger, recovering as described in the class comment.
     *
     * @throws LedgerNotFoundException when the channel has no committed genesis block
     * @throws LedgerCorruptedException when the stores disagree beyond repair
     * @throws org.banyan.ledger.blocks.BlockStoreCorruptedException when the block store is damaged
     */
    public static ChannelLedger open(Path ledgerDir, String channelId, LedgerOptions options) {
        ChannelIds.check(channelId);
        if (!Files.isDirectory(ledgerDir.resolve(channelId).resolve(BLOCKS))) {
            throw new LedgerNotFoundException(channelId, ledgerDir);
        }
        ChannelLedger ledger = openStores(ledgerDir, channelId, options);
        if (ledger.height() == 0) {
            ledger.close();
            throw new LedgerNotFoundException(channelId, ledgerDir);
        }
        return ledger;
    }

    /** True when {@code ledgerDir/channelId} looks like a channel ledger. */
    static boolean exists(Path ledgerDir, String channelId) {
        return Files.isDirectory(ledgerDir.resolve(channelId).resolve(BLOCKS));
    }

    private static ChannelLedger openStores(Path ledgerDir, String channelId, LedgerOptions options) {
        Path directory = ledgerDir.resolve(channelId);
        try {
            Directories.createDurably(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        BlockStore blocks = null;
        StateStore state = null;
        HistoryStore history = null;
        try {
            state = options.stores().openState(directory.resolve(STATE));
            history = options.stores().openHistory(directory.resolve(HISTORY));
            // A block the derived stores have applied was durable before they applied it: block-store recovery
            // must never truncate below that, whatever the segment tail looks like.
            long durableHeightMin = Math.max(state.savepoint(), history.savepoint()) + 1;
            blocks = BlockStore.open(directory.resolve(BLOCKS), directory.resolve(INDEX),
                    options.blockStore().withDurableHeightMin(durableHeightMin));
            LedgerReplay replay = new LedgerReplay(blocks, state, history);
            long stateReplayed = replay.replayState();
            long historyReplayed = replay.replayHistory();
            LedgerRecovery recovery = new LedgerRecovery(blocks.recovery(), stateReplayed, historyReplayed);
            if (!recovery.clean()) {
                // An operator must hear about a truncated torn tail or a replay, not only callers of recovery().
                LOG.log(System.Logger.Level.WARNING, "channel {0}: recovered on open: {1}", channelId, recovery.describe());
            }
            ByteString lastCommitHash = blocks.height() == 0 ? ByteString.EMPTY
                    : CommitHash.recorded(blocks.block(blocks.height() - 1).orElseThrow());
            return new ChannelLedger(channelId, blocks, state, history, recovery, lastCommitHash);
        } catch (RuntimeException e) {
            closeAll(history, state, blocks);
            throw e;
        }
    }

    /**
     * Commits a validated block: durable in the block store when this returns, its VALID transactions' writes
     * applied to state and history.
     *
     * <p>A failure before the block is appended commits nothing, and the same block may be offered again. A
     * failure after it (state or history cannot be written) does not undo the block: it throws
     * {@link DerivedStoresBehindException}, and from then on every commit throws it too (naming the same
     * durable block) until the ledger is closed and reopened, which replays the block store into state and
     * history. Reads meanwhile may show state and history behind {@link #height()}.
     *
     * @throws BlockRejectedException when the block does not extend the chain; nothing was committed
     * @throws InvalidBlockException when a VALID transaction cannot be parsed; nothing was committed
     * @throws org.banyan.ledger.blocks.BlockWriteException when the disk fails; nothing was committed
     * @throws DerivedStoresBehindException when the block (or an earlier one) IS durable but state or history
     *     are behind it; reopen the ledger
     */
    public CommitResult commit(Block block) {
        commitLock.lock();
        try {
            if (derivedBehind != null) {
                throw new DerivedStoresBehindException(channelId, derivedBehind.blockNumber(),
                        derivedBehind.commitHash(), derivedBehind.getCause());
            }
            long number = block.getHeader().getNumber();
            if (number != blocks.height()) {
                throw new BlockRejectedException(number, "expected block number " + blocks.height());
            }
            if (state.savepoint() != number - 1 || history.savepoint() != number - 1) {
                // Only reachable when an Error escaped a previous commit after its append.
                throw behind(number - 1, new IllegalStateException("state savepoint " + state.savepoint()
                        + ", history savepoint " + history.savepoint()));
            }
            BlockUpdates updates = BlockUpdates.compute(block, state::get);
            ByteString hash = CommitHash.compute(commitHash, block, updates.stateUpdates());
            blocks.append(CommitHash.stamp(block, hash));
            // The block is durable: from here on a failure must not read as "not committed".
            commitHash = hash;
            try {
                state.apply(number, updates.stateUpdates());
                history.apply(number, updates.historyEntries());
            } catch (RuntimeException e) {
                throw behind(number, e);
            }
            return new CommitResult(number, hash, ValidWrites.validCount(block), updates.stateUpdates().size());
        } finally {
            commitLock.unlock();
        }
    }

    /** Marks the derived stores as behind durable block {@code number}; later commits throw the same. */
    private DerivedStoresBehindException behind(long number, RuntimeException cause) {
        derivedBehind = new DerivedStoresBehindException(channelId, number, commitHash, cause);
        LOG.log(System.Logger.Level.ERROR, derivedBehind.getMessage(), cause);
        return derivedBehind;
    }

    /** The channel this ledger belongs to. */
    public String channelId() {
        return channelId;
    }

    /** What opening repaired. */
    public LedgerRecovery recovery() {
        return recovery;
    }

    /** Number of durable blocks. */
    public long height() {
        return blocks.height();
    }

    /** The commit hash of the last committed block. */
    public ByteString commitHash() {
        commitLock.lock();
        try {
            return commitHash;
        } finally {
            commitLock.unlock();
        }
    }

    /** Block {@code number} as stored (with its COMMIT_HASH), or empty above the height. */
    public Optional<Block> block(long number) {
        return blocks.block(number);
    }

    /** Blocks from {@code number} to the current height, read lazily. */
    public Iterator<Block> blocksFrom(long number) {
        return blocks.blocksFrom(number);
    }

    /**
     * Whether the ledger holds a transaction with the ID: {@code transaction(txId).isPresent()}, answered from the
     * transaction index alone, without reading the block (for duplicate checks on hot paths).
     */
    public boolean containsTransaction(String txId) {
        return blocks.txLocation(txId).isPresent();
    }

    /** A transaction by ID with its validation code (first occurrence of a duplicated ID), or empty. */
    public Optional<LedgerTransaction> transaction(String txId) {
        Optional<TxLocation> location = blocks.txLocation(txId);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        TxLocation at = location.get();
        Block block = blocks.block(at.blockNumber()).orElseThrow();
        try {
            return Optional.of(new LedgerTransaction(txId, at.blockNumber(), at.txIndex(), at.validationCode(),
                    Blocks.envelope(block, at.txIndex())));
        } catch (MalformedTransactionException e) {
            throw new AssertionError("indexed transaction " + txId + " has no readable envelope", e);
        }
    }

    /** The current value of a key. */
    public Optional<VersionedValue> state(String namespace, String key) {
        return state.get(namespace, key);
    }

    /** A page of keys in {@code [startKey, endKey)}; see {@link StateStore#range}. */
    public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
        return state.range(namespace, startKey, endKey, pageSizeMax, bookmark);
    }

    /** Writes of a key, oldest first, at most {@code limit}. */
    public List<HistoryEntry> history(String namespace, String key, int limit) {
        return history.history(namespace, key, limit);
    }

    /** The state store, for the verifier's comparison. Read only. */
    StateStore stateStore() {
        return state;
    }

    HistoryStore historyStore() {
        return history;
    }

    @Override
    public void close() {
        commitLock.lock();
        try {
            closeAll(history, state, blocks);
        } finally {
            commitLock.unlock();
        }
    }

    private static void closeAll(AutoCloseable... closeables) {
        RuntimeException first = null;
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
