package org.banyan.ledger.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.banyan.protocol.CompositeKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link HistoryStore} must do; each implementation's test class extends this. */
abstract class HistoryStoreContract {
    protected HistoryStore store;

    /** A new, empty store. */
    protected abstract HistoryStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static HistoryEntry write(String namespace, String key, long block, int tx) {
        return new HistoryEntry(namespace, key, block, tx, false);
    }

    static HistoryEntry delete(String namespace, String key, long block, int tx) {
        return new HistoryEntry(namespace, key, block, tx, true);
    }

    @Test
    void emptyStoreHasNoHistoryAndNoSavepoint() {
        assertThat(store.savepoint()).isEqualTo(-1);
        assertThat(store.history("cc", "k", 10)).isEmpty();
    }

    @Test
    void historyIsOldestFirstAcrossBlocksAndTransactions() {
        store.apply(1, List.of(write("cc", "k", 1, 7), write("cc", "k", 1, 2)));
        store.apply(2, List.of(delete("cc", "k", 2, 0)));
        store.apply(300, List.of(write("cc", "k", 300, 1)));
        assertThat(store.history("cc", "k", 10)).containsExactly(write("cc", "k", 1, 2), write("cc", "k", 1, 7),
                delete("cc", "k", 2, 0), write("cc", "k", 300, 1));
        assertThat(store.savepoint()).isEqualTo(300);
    }

    @Test
    void bigNumbersSortNumerically() {
        store.apply(255, List.of(write("cc", "k", 255, 256)));
        store.apply(256, List.of(write("cc", "k", 256, 1)));
        store.apply(1L << 40, List.of(write("cc", "k", 1L << 40, Integer.MAX_VALUE)));
        assertThat(store.history("cc", "k", 10)).extracting(HistoryEntry::blockNumber)
                .containsExactly(255L, 256L, 1L << 40);
    }

    @Test
    void limitReturnsTheOldest() {
        for (int block = 0; block < 20; block++) {
            store.apply(block, List.of(write("cc", "k", block, 0)));
        }
        assertThat(store.history("cc", "k", 3)).extracting(HistoryEntry::blockNumber).containsExactly(0L, 1L, 2L);
        assertThat(store.history("cc", "k", HistoryStore.LIMIT_MAX)).hasSize(20);
    }

    @Test
    void keysAndNamespacesSharingPrefixesNeverMix() {
        String composite = CompositeKeys.create("asset", List.of("k"));
        store.apply(1, List.of(write("a", "bc", 1, 0), write("ab", "c", 1, 1), write("a", "b", 1, 2),
                write("a", "b\u0000", 1, 3), write("a", "bb", 1, 4), write("a", composite, 1, 5),
                write("a", "\uD83D\uDE00", 1, 6)));
        assertThat(store.history("a", "b", 10)).containsExactly(write("a", "b", 1, 2));
        assertThat(store.history("a", "bc", 10)).containsExactly(write("a", "bc", 1, 0));
        assertThat(store.history("ab", "c", 10)).containsExactly(write("ab", "c", 1, 1));
        assertThat(store.history("a", "b\u0000", 10)).containsExactly(write("a", "b\u0000", 1, 3));
        assertThat(store.history("a", composite, 10)).containsExactly(write("a", composite, 1, 5));
        assertThat(store.history("a", "\uD83D\uDE00", 10)).containsExactly(write("a", "\uD83D\uDE00", 1, 6));
        assertThat(store.history("ab", "bc", 10)).isEmpty();
    }

    @Test
    void historyPagesResumeStrictlyAfterAPosition() {
        store.apply(1, List.of(write("cc", "k", 1, 0), write("cc", "k", 1, 3), write("cc", "other", 1, 1)));
        store.apply(2, List.of(delete("cc", "k", 2, 0)));
        store.apply(5, List.of(write("cc", "k", 5, 2)));
        List<HistoryEntry> all = List.of(write("cc", "k", 1, 0), write("cc", "k", 1, 3), delete("cc", "k", 2, 0),
                write("cc", "k", 5, 2));
        assertThat(store.history("cc", "k", HistoryStore.FROM_START, HistoryStore.FROM_START_TX, 10)).isEqualTo(all);
        assertThat(store.history("cc", "k", 1, 0, 10)).isEqualTo(all.subList(1, 4));
        assertThat(store.history("cc", "k", 1, 1, 2)).isEqualTo(all.subList(1, 3));
        assertThat(store.history("cc", "k", 2, HistoryStore.FROM_START_TX, 10)).isEqualTo(all.subList(2, 4));
        assertThat(store.history("cc", "k", 1, Integer.MAX_VALUE, 10)).isEqualTo(all.subList(2, 4));
        assertThat(store.history("cc", "k", 5, 2, 10)).isEmpty();
        List<HistoryEntry> paged = new ArrayList<>();
        List<HistoryEntry> page = store.history("cc", "k", HistoryStore.FROM_START, HistoryStore.FROM_START_TX, 1);
        while (!page.isEmpty()) {
            paged.addAll(page);
            page = store.history("cc", "k", page.getLast().blockNumber(), page.getLast().txNumber(), 1);
        }
        assertThat(paged).isEqualTo(all);
        assertThatThrownBy(() -> store.history("cc", "k", -2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.history("cc", "k", 0, -2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreListedByNamespaceThenKeyShorterFirstAndPageByPage() {
        store.apply(1, List.of(write("b", "k", 1, 0), write("a", "zz", 1, 0), write("a", "z", 1, 1),
                write("a", "z", 1, 2), write("ab", "a", 1, 0), write("a", "\uD83D\uDE00", 1, 0),
                write("a", "\uE000", 1, 0)));
        List<WrittenKey> all = List.of(new WrittenKey("a", "z"), new WrittenKey("a", "zz"),
                new WrittenKey("a", "\uE000"), new WrittenKey("a", "\uD83D\uDE00"), new WrittenKey("b", "k"),
                new WrittenKey("ab", "a"));
        assertThat(store.keys("", "", 100)).isEqualTo(all);
        List<WrittenKey> paged = new ArrayList<>();
        List<WrittenKey> page = store.keys("", "", 4);
        paged.addAll(page);
        while (page.size() == 4) {
            page = store.keys(page.getLast().namespace(), page.getLast().key(), 4);
            paged.addAll(page);
        }
        assertThat(paged).isEqualTo(all);
        assertThat(store.keys("a", "", 100)).isEqualTo(all);
        assertThat(store.keys("a", "zz", 2)).isEqualTo(all.subList(2, 4));
        assertThat(store.keys("b", "", 100)).isEqualTo(all.subList(4, 6));
        assertThat(store.keys("b", "zzz", 100)).containsExactly(new WrittenKey("ab", "a"));
        assertThatThrownBy(() -> store.keys("", "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.keys(null, "", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRejectedBlockRecordsNothing() {
        store.apply(1, List.of(write("cc", "k", 1, 0)));
        assertThatThrownBy(() -> store.apply(2, List.of(write("cc", "k", 2, 0), write("cc", "x", 3, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a transaction of this block");
        assertThat(store.history("cc", "k", 10)).containsExactly(write("cc", "k", 1, 0));
        assertThat(store.history("cc", "x", 10)).isEmpty();
        assertThat(store.savepoint()).isEqualTo(1);
    }

    @Test
    void blocksAtOrBelowTheSavepointAreRejectedAndGapsAllowed() {
        store.apply(4, List.of(write("cc", "k", 4, 0)));
        assertThatThrownBy(() -> store.apply(4, List.of(write("cc", "k", 4, 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("savepoint 4");
        assertThatThrownBy(() -> store.apply(0, List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.apply(-2, List.of())).isInstanceOf(IllegalArgumentException.class);
        store.apply(9, List.of());
        assertThat(store.savepoint()).isEqualTo(9);
        assertThat(store.history("cc", "k", 10)).hasSize(1);
    }

    @Test
    void malformedArgumentsAreRejected() {
        assertThatThrownBy(() -> store.history("cc", "k", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.history("cc", "k", HistoryStore.LIMIT_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.history("", "k", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.history("cc", "\uD800", 1)).isInstanceOf(IllegalArgumentException.class);
        assertRejected(List.of(write("cc", "k", 1, 0), delete("cc", "k", 1, 0)), "twice");
        assertRejected(List.of(write("cc", "", 1, 0)), "key is empty");
        assertRejected(List.of(write("cc", "k", 1, -1)), "not a transaction");
        List<HistoryEntry> withNull = new ArrayList<>();
        withNull.add(null);
        assertRejected(withNull, "null entry");
        assertThat(store.savepoint()).isEqualTo(-1);
    }

    @Test
    void aClosedStoreRefusesCallsAndClosesOnce() {
        store.close();
        assertThatThrownBy(() -> store.history("cc", "k", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.apply(0, List.of())).isInstanceOf(IllegalStateException.class);
        store.close();
    }

    private void assertRejected(List<HistoryEntry> entries, String message) {
        assertThatThrownBy(() -> store.apply(1, entries)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
