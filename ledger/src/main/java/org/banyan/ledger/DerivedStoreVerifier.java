package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.ledger.history.InMemoryHistoryStore;
import org.banyan.ledger.history.WrittenKey;
import org.banyan.ledger.state.InMemoryStateStore;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateStore;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.ledger.storage.LengthPrefixedOrder;
import org.banyan.ledger.storage.Utf8;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Compares a ledger's state and history with a replay of its block store into in-memory reference stores.
 *
 * <p>Both sides are walked page by page in step, in the order the stores enumerate (namespaces, then keys; history
 * keys, then entries), so keys that only one side holds are found as well as differing values, and no more than
 * one page per side is held at a time beyond the reference stores themselves. The first difference is reported.
 */
final class DerivedStoreVerifier {
    private static final int PAGE_SIZE = 1_000;
    private static final String LEDGER = "the ledger's";
    private static final String REPLAY = "a replay of the block store";
    private static final Comparator<HistoryEntry> BY_POSITION =
            Comparator.comparingLong(HistoryEntry::blockNumber).thenComparingInt(HistoryEntry::txNumber);

    private final ChannelLedger ledger;
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
            ByteString recorded;
            try {
                // The same check as LedgerReplay's: a missing or unreadable hash is damage, not "unchecked".
                recorded = CommitHash.recorded(block);
            } catch (LedgerCorruptedException e) {
                return VerificationResult.failed(number, txCount, number, e.getMessage());
            }
            if (!hash.equals(recorded)) {
                return VerificationResult.failed(number, txCount, number,
                        "block " + number + ": recorded commit hash does not match the replay");
            }
            state.apply(number, updates.stateUpdates());
            history.apply(number, updates.historyEntries());
            previous = hash;
            txCount += block.getData().getDataCount();
        }
        return VerificationResult.passed(height, txCount);
    }

    private static String compareState(StateStore actual, StateStore expected) {
        return inStep(
                new Cursor<String>(after -> actual.namespaces(after == null ? "" : after, PAGE_SIZE)),
                new Cursor<String>(after -> expected.namespaces(after == null ? "" : after, PAGE_SIZE)),
                LengthPrefixedOrder.ORDER,
                namespace -> "state: namespace " + namespace + " has keys in " + LEDGER + " state store but none in "
                        + REPLAY,
                namespace -> "state: namespace " + namespace + " has keys in " + REPLAY + " but none in " + LEDGER
                        + " state store",
                (namespace, same) -> compareNamespace(actual, expected, namespace));
    }

    private static String compareNamespace(StateStore actual, StateStore expected, String namespace) {
        return inStep(
                new Cursor<StatePage.Entry>(after -> actual.range(namespace, "", "", PAGE_SIZE,
                        after == null ? "" : after.key()).entries()),
                new Cursor<StatePage.Entry>(after -> expected.range(namespace, "", "", PAGE_SIZE,
                        after == null ? "" : after.key()).entries()),
                Comparator.comparing(StatePage.Entry::key, Utf8.ORDER),
                entry -> "state of " + namespace + ": key " + entry.key() + " is in " + LEDGER + " state store but not"
                        + " in " + REPLAY,
                entry -> "state of " + namespace + ": key " + entry.key() + " is in " + REPLAY + " but not in "
                        + LEDGER + " state store",
                (got, want) -> got.value().equals(want.value()) ? ""
                        : "state of " + namespace + "/" + got.key() + " differs in "
                        + differences(got.value(), want.value()) + ": " + LEDGER + " state store has "
                        + got.value().version() + ", " + REPLAY + " has " + want.value().version());
    }

    private static String differences(VersionedValue got, VersionedValue want) {
        StringBuilder what = new StringBuilder();
        if (!got.value().equals(want.value())) {
            what.append("value");
        }
        if (!got.version().equals(want.version())) {
            what.append(what.isEmpty() ? "" : ", ").append("version");
        }
        if (!got.metadata().equals(want.metadata())) {
            what.append(what.isEmpty() ? "" : ", ").append("metadata");
        }
        return what.toString();
    }

    private static String compareHistory(HistoryStore actual, HistoryStore expected) {
        return inStep(
                new Cursor<WrittenKey>(after -> actual.keys(after == null ? "" : after.namespace(),
                        after == null ? "" : after.key(), PAGE_SIZE)),
                new Cursor<WrittenKey>(after -> expected.keys(after == null ? "" : after.namespace(),
                        after == null ? "" : after.key(), PAGE_SIZE)),
                WrittenKey.ORDER,
                key -> "history: " + key.namespace() + "/" + key.key() + " has entries in " + LEDGER
                        + " history store but none in " + REPLAY,
                key -> "history: " + key.namespace() + "/" + key.key() + " has entries in " + REPLAY + " but none in "
                        + LEDGER + " history store",
                (key, same) -> compareKeyHistory(actual, expected, key));
    }

    private static String compareKeyHistory(HistoryStore actual, HistoryStore expected, WrittenKey key) {
        String where = "history of " + key.namespace() + "/" + key.key() + ": ";
        return inStep(
                new Cursor<HistoryEntry>(after -> page(actual, key, after)),
                new Cursor<HistoryEntry>(after -> page(expected, key, after)),
                BY_POSITION,
                entry -> where + "write at (" + entry.blockNumber() + ", " + entry.txNumber() + ") is in " + LEDGER
                        + " history store but not in " + REPLAY,
                entry -> where + "write at (" + entry.blockNumber() + ", " + entry.txNumber() + ") is in " + REPLAY
                        + " but not in " + LEDGER + " history store",
                (got, want) -> got.equals(want) ? "" : where + "write at (" + got.blockNumber() + ", "
                        + got.txNumber() + ") is a " + (got.delete() ? "delete" : "write") + " in " + LEDGER
                        + " history store, a " + (want.delete() ? "delete" : "write") + " in " + REPLAY);
    }

    private static List<HistoryEntry> page(HistoryStore store, WrittenKey key, HistoryEntry after) {
        return after == null
                ? store.history(key.namespace(), key.key(), HistoryStore.FROM_START, HistoryStore.FROM_START_TX,
                        PAGE_SIZE)
                : store.history(key.namespace(), key.key(), after.blockNumber(), after.txNumber(), PAGE_SIZE);
    }

    /**
     * Walks two ordered sequences in step and returns the first difference, or "" when they hold the same
     * items and {@code same} finds nothing for any pair.
     *
     * @param onlyActual describes an item only the ledger's store holds
     * @param onlyExpected describes an item only the replay holds
     * @param same compares two items that {@code order} ranks equal; "" when they agree
     */
    private static <T> String inStep(Cursor<T> actual, Cursor<T> expected, Comparator<T> order,
                                     Function<T, String> onlyActual, Function<T, String> onlyExpected,
                                     BiFunction<T, T, String> same) {
        while (true) {
            T got = actual.peek();
            T want = expected.peek();
            if (got == null && want == null) {
                return "";
            }
            int comparison = got == null ? 1 : want == null ? -1 : order.compare(got, want);
            if (comparison < 0) {
                return onlyActual.apply(got);
            }
            if (comparison > 0) {
                return onlyExpected.apply(want);
            }
            String problem = same.apply(got, want);
            if (!problem.isEmpty()) {
                return problem;
            }
            actual.advance();
            expected.advance();
        }
    }

    /** Items of a store read {@link #PAGE_SIZE} at a time; a page shorter than that is the last. */
    private static final class Cursor<T> {
        /** Reads the page after an item, or the first page given null. */
        private final Function<T, List<T>> pageAfter;
        private List<T> page;
        private int index;

        Cursor(Function<T, List<T>> pageAfter) {
            this.pageAfter = pageAfter;
            this.page = pageAfter.apply(null);
        }

        /** The current item, or null at the end. */
        T peek() {
            if (index == page.size() && page.size() == PAGE_SIZE) {
                page = pageAfter.apply(page.getLast());
                index = 0;
            }
            return index < page.size() ? page.get(index) : null;
        }

        void advance() {
            index++;
        }
    }
}
