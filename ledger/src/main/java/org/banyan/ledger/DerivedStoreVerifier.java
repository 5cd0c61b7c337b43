package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.history.InMemoryHistoryStore;
import org.banyan.ledger.state.InMemoryStateStore;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateStore;
import org.hyperledger.fabric.protos.common.Block;

/** Compares a ledger's state and history with a replay of its block store into in-memory reference stores. */
final class DerivedStoreVerifier {
    private static final int PAGE_SIZE = 1_000;

    private final ChannelLedger ledger;
    private final TreeSet<String> namespaces = new TreeSet<>();
    private final TreeSet<NamespacedKey> historyKeys = new TreeSet<>();
    private long txCount;

    DerivedStoreVerifier(ChannelLedger ledger) {
        this.ledger = ledger;
    }

    VerificationResult run() {
        long height = ledger.height();
        try (InMemoryStateStore state = new InMemoryStateStore();
             InMemoryHistoryStore history = new InMemoryHistoryStore()) {
            VerificationResult replayed = replay(height, state, history);
            if (!replayed.ok()) {
                return replayed;
            }
            long savepoint = ledger.stateStore().savepoint();
            if (savepoint != height - 1 || ledger.historyStore().savepoint() != height - 1) {
                return VerificationResult.failed(height, txCount, -1, "savepoints state " + savepoint + ", history "
                        + ledger.historyStore().savepoint() + " but the block store's last block is " + (height - 1));
            }
            String problem = compareState(ledger.stateStore(), state);
            if (problem.isEmpty()) {
                problem = compareHistory(ledger.historyStore(), history);
            }
            return problem.isEmpty() ? VerificationResult.passed(height, txCount)
                    : VerificationResult.failed(height, txCount, -1, problem);
        }
    }

    private VerificationResult replay(long height, StateStore state, HistoryStore history) {
        ByteString previous = ByteString.EMPTY;
        Iterator<Block> blocks = ledger.blocksFrom(0);
        for (long number = 0; number < height; number++) {
            Block block = blocks.next();
            BlockUpdates updates = BlockUpdates.compute(block, state::get);
            ByteString hash = CommitHash.compute(previous, block, updates.stateUpdates());
            if (!hash.equals(CommitHash.recorded(block))) {
                return VerificationResult.failed(number, txCount, number,
                        "block " + number + ": recorded commit hash does not match the replay");
            }
            state.apply(number, updates.stateUpdates());
            history.apply(number, updates.historyEntries());
            updates.stateUpdates().forEach(update -> namespaces.add(update.namespace()));
            updates.historyEntries().forEach(entry -> historyKeys.add(new NamespacedKey(entry.namespace(), entry.key())));
            previous = hash;
            txCount += block.getData().getDataCount();
        }
        return VerificationResult.passed(height, txCount);
    }

    private String compareState(StateStore actual, StateStore expected) {
        for (String namespace : namespaces) {
            List<StatePage.Entry> actualEntries = all(actual, namespace);
            List<StatePage.Entry> expectedEntries = all(expected, namespace);
            int count = Math.min(actualEntries.size(), expectedEntries.size());
            for (int i = 0; i < count; i++) {
                if (!actualEntries.get(i).equals(expectedEntries.get(i))) {
                    return "state of " + namespace + " differs at " + expectedEntries.get(i).key() + " / "
                            + actualEntries.get(i).key();
                }
            }
            if (actualEntries.size() != expectedEntries.size()) {
                return "state of " + namespace + " has " + actualEntries.size() + " keys, replay has "
                        + expectedEntries.size();
            }
        }
        return "";
    }

    private static List<StatePage.Entry> all(StateStore store, String namespace) {
        List<StatePage.Entry> entries = new ArrayList<>();
        String bookmark = "";
        do {
            StatePage page = store.range(namespace, "", "", PAGE_SIZE, bookmark);
            entries.addAll(page.entries());
            bookmark = page.bookmark();
        } while (!bookmark.isEmpty());
        return entries;
    }

    private String compareHistory(HistoryStore actual, HistoryStore expected) {
        for (NamespacedKey key : historyKeys) {
            List<HistoryEntry> want = expected.history(key.namespace(), key.key(), HistoryStore.LIMIT_MAX);
            List<HistoryEntry> got = actual.history(key.namespace(), key.key(), HistoryStore.LIMIT_MAX);
            if (!Objects.equals(want, got)) {
                return "history of " + key.namespace() + "/" + key.key() + " has " + got.size()
                        + " entries, replay has " + want.size();
            }
        }
        return "";
    }
}
