package org.banyan.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The ledgers of every channel a node hosts, under one {@code LEDGER_DIR}. Opens each channel at most once and
 * hands out the same {@link ChannelLedger}; closing this closes them all. Thread-safe.
 */
public final class Ledgers implements AutoCloseable {
    /** A node hosting more channels than this is misconfigured; each open ledger holds several RocksDB instances. */
    public static final int CHANNELS_MAX = 1_000;

    private final Path ledgerDir;
    private final LedgerOptions options;
    private final Map<String, ChannelLedger> open = new TreeMap<>(); // guarded by this

    /** Ledgers under {@code ledgerDir} (created on the first {@link #create}), built with {@code options}. */
    public Ledgers(Path ledgerDir, LedgerOptions options) {
        this.ledgerDir = ledgerDir;
        this.options = options;
    }

    /** The channels that have a ledger directory, sorted. */
    public List<String> channels() {
        if (!Files.isDirectory(ledgerDir)) {
            return List.of();
        }
        List<String> channels = new ArrayList<>();
        try (Stream<Path> entries = Files.list(ledgerDir)) {
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> ChannelIds.isValid(name) && ChannelLedger.exists(ledgerDir, name))
                    .sorted()
                    .limit(CHANNELS_MAX)
                    .forEach(channels::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ledgerDir, e);
        }
        return List.copyOf(channels);
    }

    /** Creates a channel's ledger from its genesis block; see {@link ChannelLedger#create}. */
    public synchronized ChannelLedger create(Block genesis) {
        String channelId = ChannelIds.ofGenesis(genesis);
        if (open.containsKey(channelId)) {
            throw new LedgerExistsException(channelId, ledgerDir);
        }
        checkCapacity(channelId);
        ChannelLedger ledger = ChannelLedger.create(ledgerDir, genesis, options);
        open.put(channelId, ledger);
        return ledger;
    }

    /** The channel's ledger, opened (and recovered) on first use; see {@link ChannelLedger#open}. */
    public synchronized ChannelLedger open(String channelId) {
        ChannelLedger ledger = open.get(ChannelIds.check(channelId));
        if (ledger == null) {
            checkCapacity(channelId);
            ledger = ChannelLedger.open(ledgerDir, channelId, options);
            open.put(channelId, ledger);
        }
        return ledger;
    }

    private void checkCapacity(String channelId) {
        if (open.size() >= CHANNELS_MAX) {
            throw new IllegalStateException("cannot open channel " + channelId + ": " + CHANNELS_MAX
                    + " channels already open");
        }
    }

    @Override
    public synchronized void close() {
        for (ChannelLedger ledger : open.values()) {
            ledger.close();
        }
        open.clear();
    }
}
