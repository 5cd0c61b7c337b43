package org.banyan.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.state.Updates.bytes;
import static org.banyan.ledger.state.Updates.delete;
import static org.banyan.ledger.state.Updates.put;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.banyan.protocol.CompositeKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} must do; each implementation's test class extends this. */
abstract class StateStoreContract {
    protected StateStore store;

    /** A new, empty store. */
    protected abstract StateStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void emptyStoreHasNoKeysAndNoSavepoint() {
        assertThat(store.savepoint()).isEqualTo(-1);
        assertThat(store.get("cc", "k")).isEmpty();
        assertThat(store.range("cc", "", "", 10, "")).isEqualTo(new StatePage(List.of(), ""));
    }

    @Test
    void writeThenReadReturnsValueVersionAndNoMetadata() {
        store.apply(0, List.of(put("cc", "k", "v", 0, 3)));
        assertThat(store.get("cc", "k")).contains(new VersionedValue(bytes("v"), new Version(0, 3), new TreeMap<>()));
        assertThat(store.savepoint()).isZero();
    }

    @Test
    void overwriteReplacesValueAndVersion() {
        store.apply(1, List.of(put("cc", "k", "v1", 1, 0)));
        store.apply(2, List.of(put("cc", "k", "v2", 2, 5)));
        assertThat(store.get("cc", "k").orElseThrow().value()).isEqualTo(bytes("v2"));
        assertThat(store.get("cc", "k").orElseThrow().version()).isEqualTo(new Version(2, 5));
    }

    @Test
    void deleteRemovesTheKeyAndDeletingAnAbsentKeyIsHarmless() {
        store.apply(1, List.of(put("cc", "k", "v", 1, 0)));
        store.apply(2, List.of(delete("cc", "k", 2, 0), delete("cc", "never", 2, 1)));
        assertThat(store.get("cc", "k")).isEmpty();
        assertThat(store.range("cc", "", "", 10, "").entries()).isEmpty();
        assertThat(store.savepoint()).isEqualTo(2);
    }

    @Test
    void emptyValueIsStoredAsAValue() {
        store.apply(1, List.of(put("cc", "k", "", 1, 0)));
        assertThat(store.get("cc", "k").orElseThrow().value()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void metadataIsSetKeptReplacedAndCleared() {
        SortedMap<String, ByteString> policy = metadata("VALIDATION_PARAMETER", "policy-1");
        store.apply(1, List.of(put("cc", "k", "v1", policy, 1, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).isEqualTo(policy);

        store.apply(2, List.of(put("cc", "k", "v2", 2, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).as("null metadata keeps").isEqualTo(policy);
        assertThat(store.get("cc", "k").orElseThrow().value()).isEqualTo(bytes("v2"));

        SortedMap<String, ByteString> replaced = metadata("OTHER", "x");
        store.apply(3, List.of(put("cc", "k", "v3", replaced, 3, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).as("non-null replaces").isEqualTo(replaced);

        store.apply(4, List.of(put("cc", "k", "v4", new TreeMap<>(), 4, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).as("empty clears").isEmpty();
    }

    @Test
    void metadataDoesNotSurviveADelete() {
        store.apply(1, List.of(put("cc", "k", "v", metadata("VALIDATION_PARAMETER", "p"), 1, 0)));
        store.apply(2, List.of(delete("cc", "k", 2, 0)));
        store.apply(3, List.of(put("cc", "k", "again", 3, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).isEmpty();
    }

    @Test
    void rangeIncludesStartExcludesEndAndAllowsAnUnboundedEnd() {
        store.apply(1, List.of(put("cc", "a", "1", 1, 0), put("cc", "b", "2", 1, 1), put("cc", "c", "3", 1, 2),
                put("cc", "d", "4", 1, 3)));
        assertThat(keys(store.range("cc", "b", "d", 10, ""))).containsExactly("b", "c");
        assertThat(keys(store.range("cc", "b", "", 10, ""))).containsExactly("b", "c", "d");
        assertThat(keys(store.range("cc", "", "c", 10, ""))).containsExactly("a", "b");
        assertThat(keys(store.range("cc", "bb", "cc", 10, ""))).containsExactly("c");
        assertThat(keys(store.range("cc", "c", "c", 10, ""))).isEmpty();
        assertThat(keys(store.range("cc", "d", "a", 10, ""))).isEmpty();
        assertThat(store.range("cc", "a", "", 10, "").entries().getFirst().value().value()).isEqualTo(bytes("1"));
    }

    @Test
    void rangeOrdersByUtf8BytesNotUtf16() {
        // Insertion order and String.compareTo order both differ from the UTF-8 byte order Fabric uses.
        List<String> byUtf8 = List.of("\u0000z", "A", "a", "\u00E9", "\uFFFF", "\uD83D\uDE00", "\uDBFF\uDFFF");
        List<StateUpdate> updates = new ArrayList<>();
        for (int i = byUtf8.size() - 1; i >= 0; i--) {
            updates.add(put("cc", byUtf8.get(i), "v" + i, 1, i));
        }
        store.apply(1, updates);
        assertThat(keys(store.range("cc", "", "", 100, ""))).containsExactlyElementsOf(byUtf8);
        assertThat(keys(store.range("cc", "\uFFFF", "\uDBFF\uDFFF", 100, ""))).containsExactly("\uFFFF", "\uD83D\uDE00");
    }

    @Test
    void pagesWithBookmarksVisitEveryKeyOnceInOrder() {
        List<String> expected = new ArrayList<>();
        List<StateUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String key = String.format("key-%04d", i);
            expected.add(key);
            updates.add(put("cc", key, "v" + i, 1, i));
        }
        store.apply(1, updates);
        List<String> seen = new ArrayList<>();
        String bookmark = "";
        int pages = 0;
        do {
            StatePage page = store.range("cc", "", "", 7, bookmark);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(7);
            seen.addAll(keys(page));
            bookmark = page.bookmark();
            pages++;
            assertThat(pages).isLessThanOrEqualTo(500 / 7 + 1);
        } while (!bookmark.isEmpty());
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aFullLastPageHasNoBookmark() {
        store.apply(1, List.of(put("cc", "a", "1", 1, 0), put("cc", "b", "2", 1, 1), put("cc", "c", "3", 1, 2)));
        StatePage first = store.range("cc", "a", "c", 1, "");
        assertThat(keys(first)).containsExactly("a");
        assertThat(first.bookmark()).isEqualTo("a");
        StatePage second = store.range("cc", "a", "c", 1, first.bookmark());
        assertThat(keys(second)).containsExactly("b");
        assertThat(second.bookmark()).as("c lies past the end").isEmpty();
        assertThat(store.range("cc", "", "", 3, "").bookmark()).isEmpty();
    }

    @Test
    void bookmarkResumesStrictlyAfterItAndOutsideTheRangeIsClamped() {
        store.apply(1, List.of(put("cc", "a", "1", 1, 0), put("cc", "a\u0000", "2", 1, 1), put("cc", "b", "3", 1, 2)));
        assertThat(keys(store.range("cc", "", "", 10, "a"))).containsExactly("a\u0000", "b");
        assertThat(keys(store.range("cc", "b", "", 10, "a"))).as("bookmark before start").containsExactly("b");
        assertThat(keys(store.range("cc", "", "b", 10, "b"))).as("bookmark past end").isEmpty();
        assertThat(keys(store.range("cc", "", "", 10, "zzz"))).isEmpty();
    }

    @Test
    void namespacesSharingAPrefixNeverMix() {
        store.apply(1, List.of(put("a", "bc", "in a", 1, 0), put("ab", "c", "in ab", 1, 1), put("b", "a", "in b", 1, 2),
                put("a\u0000", "x", "in a-nul", 1, 3)));
        assertThat(store.get("a", "bc").orElseThrow().value()).isEqualTo(bytes("in a"));
        assertThat(store.get("ab", "c").orElseThrow().value()).isEqualTo(bytes("in ab"));
        assertThat(store.get("a", "b")).isEmpty();
        assertThat(store.get("ab", "bc")).isEmpty();
        assertThat(keys(store.range("a", "", "", 10, ""))).containsExactly("bc");
        assertThat(keys(store.range("ab", "", "", 10, ""))).containsExactly("c");
        assertThat(keys(store.range("a\u0000", "", "", 10, ""))).containsExactly("x");
        assertThat(keys(store.range("zz", "", "", 10, ""))).isEmpty();
    }

    @Test
    void namespacesAreListedShorterNameFirstThenByBytesAndPageByPage() {
        // RocksDB keeps namespaces by their length-prefixed encoding; every store lists them in that order.
        store.apply(1, List.of(put("bb", "k", "v", 1, 0), put("a", "k", "v", 1, 1), put("ab", "k", "v", 1, 2),
                put("\uE000", "k", "v", 1, 3), put("\uD83D\uDE00", "k", "v", 1, 4), put("c", "k1", "v", 1, 5),
                put("c", "k2", "v", 1, 6)));
        List<String> all = List.of("a", "c", "ab", "bb", "\uE000", "\uD83D\uDE00");
        assertThat(store.namespaces("", 100)).isEqualTo(all);
        List<String> paged = new ArrayList<>();
        String after = "";
        List<String> page;
        do {
            page = store.namespaces(after, 2);
            paged.addAll(page);
            after = page.isEmpty() ? after : page.getLast();
        } while (page.size() == 2);
        assertThat(paged).isEqualTo(all);
        assertThat(store.namespaces("ab", 100)).containsExactly("bb", "\uE000", "\uD83D\uDE00");
        // A name that holds no keys still positions the page.
        assertThat(store.namespaces("b", 100)).containsExactly("c", "ab", "bb", "\uE000", "\uD83D\uDE00");
    }

    @Test
    void aNamespaceWhoseLastKeyIsDeletedIsNotListed() {
        store.apply(1, List.of(put("a", "k", "v", 1, 0), put("b", "k", "v", 1, 1)));
        store.apply(2, List.of(delete("a", "k", 2, 0)));
        assertThat(store.namespaces("", 10)).containsExactly("b");
        assertThatThrownBy(() -> store.namespaces("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.namespaces(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.namespaces("", StateStore.PAGE_SIZE_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compositeKeyPartialRangeFindsExactlyItsKeys() {
        String blue1 = CompositeKeys.create("asset", List.of("blue", "1"));
        String blue2 = CompositeKeys.create("asset", List.of("blue", "2"));
        String bluer = CompositeKeys.create("asset", List.of("bluer", "1"));
        String red = CompositeKeys.create("asset", List.of("red", "\uD83D\uDE00"));
        String other = CompositeKeys.create("assets", List.of("blue", "1"));
        store.apply(1, List.of(put("cc", red, "r", 1, 0), put("cc", bluer, "br", 1, 1), put("cc", blue2, "b2", 1, 2),
                put("cc", blue1, "b1", 1, 3), put("cc", other, "o", 1, 4), put("cc", "asset", "simple", 1, 5)));
        String[] blue = CompositeKeys.partialRange("asset", List.of("blue"));
        assertThat(keys(store.range("cc", blue[0], blue[1], 10, ""))).containsExactly(blue1, blue2);
        String[] assets = CompositeKeys.partialRange("asset", List.of());
        assertThat(keys(store.range("cc", assets[0], assets[1], 10, ""))).containsExactly(blue1, blue2, bluer, red);
        assertThat(keys(store.range("cc", "a", "", 10, ""))).as("simple keys sort after U+0000").containsExactly("asset");
    }

    @Test
    void aRejectedBlockChangesNothing() {
        store.apply(1, List.of(put("cc", "k", "v1", 1, 0)));
        List<StateUpdate> badTail = List.of(put("cc", "k", "v2", 2, 0), put("cc", "other", "x", 9, 0));
        assertThatThrownBy(() -> store.apply(2, badTail)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not of this block");
        assertThat(store.get("cc", "k").orElseThrow().value()).isEqualTo(bytes("v1"));
        assertThat(store.get("cc", "other")).isEmpty();
        assertThat(store.savepoint()).isEqualTo(1);
    }

    @Test
    void blocksAtOrBelowTheSavepointAreRejectedAndGapsAllowed() {
        store.apply(5, List.of(put("cc", "k", "v", 5, 0)));
        assertThatThrownBy(() -> store.apply(5, List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("savepoint 5");
        assertThatThrownBy(() -> store.apply(3, List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.apply(-1, List.of())).isInstanceOf(IllegalArgumentException.class);
        store.apply(7, List.of());
        assertThat(store.savepoint()).isEqualTo(7);
        assertThat(store.get("cc", "k").orElseThrow().version()).isEqualTo(new Version(5, 0));
    }

    @Test
    void malformedArgumentsAreRejected() {
        assertThatThrownBy(() -> store.range("cc", "", "", 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.range("cc", "", "", StateStore.PAGE_SIZE_MAX + 1, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSizeMax");
        assertThatThrownBy(() -> store.range("", "", "", 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("cc", "bad\uD800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("cc", null)).isInstanceOf(IllegalArgumentException.class);
        assertRejected(List.of(put("cc", "", "v", 1, 0)), "key is empty");
        assertRejected(List.of(put("", "k", "v", 1, 0)), "namespace is empty");
        assertRejected(List.of(put("cc", "k", "v", 1, 0), delete("cc", "k", 1, 1)), "twice");
        assertRejected(List.of(new StateUpdate("cc", "k", false, null, null, new Version(1, 0))), "needs a value");
        assertRejected(List.of(put("cc", "k\uDFFF", "v", 1, 0)), "unpaired surrogate");
        List<StateUpdate> withNull = new ArrayList<>();
        withNull.add(null);
        assertRejected(withNull, "null update");
        assertThat(store.savepoint()).isEqualTo(-1);
    }

    @Test
    void aClosedStoreRefusesCallsAndClosesOnce() {
        store.close();
        assertThatThrownBy(() -> store.get("cc", "k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.apply(0, List.of())).isInstanceOf(IllegalStateException.class);
        store.close();
    }

    @Test
    void concurrentReadersSeeWholeBlocks() throws Exception {
        int blocks = 150;
        int keys = 8;
        AtomicBoolean done = new AtomicBoolean();
        // The writer starts only once every reader is reading, so reads overlap writes on any scheduler.
        java.util.concurrent.CountDownLatch readersStarted = new java.util.concurrent.CountDownLatch(3);
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                reads.add(readers.submit(() -> {
                    int checked = 0;
                    readersStarted.countDown();
                    while ((!done.get() || checked == 0) && checked < 1_000_000) {
                        List<StatePage.Entry> entries = store.range("cc", "", "", keys, "").entries();
                        // Every block rewrites every key, so one consistent view holds a single version.
                        assertThat(entries.stream().map(e -> e.value().version().blockNumber()).distinct()).hasSizeLessThanOrEqualTo(1);
                        checked++;
                    }
                    return checked;
                }));
            }
            assertThat(readersStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (int block = 0; block < blocks; block++) {
                List<StateUpdate> updates = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                    updates.add(put("cc", "k" + k, "b" + block, block, k));
                }
                store.apply(block, updates);
            }
            done.set(true);
            for (Future<Integer> read : reads) {
                assertThat(read.get()).isPositive();
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(store.get("cc", "k0").orElseThrow().version().blockNumber()).isEqualTo(blocks - 1);
    }

    @Test
    void closeUnderConcurrentReadersNeitherCrashesNorTears() throws Exception {
        store.apply(0, List.of(put("cc", "k", "v", 0, 0)));
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(readers.submit(() -> {
                    for (int i = 0; i < 1_000_000; i++) {
                        try {
                            assertThat(valueOf(store, "cc", "k")).contains(bytes("v"));
                            store.range("cc", "", "", 10, "");
                        } catch (IllegalStateException closed) {
                            return i;
                        }
                    }
                    return -1;
                }));
            }
            Thread.sleep(20);
            store.close();
            for (Future<Integer> read : reads) {
                assertThat(read.get()).as("reader stopped by close").isNotNegative();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private void assertRejected(List<StateUpdate> updates, String message) {
        assertThatThrownBy(() -> store.apply(1, updates)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    static SortedMap<String, ByteString> metadata(String name, String value) {
        SortedMap<String, ByteString> metadata = new TreeMap<>();
        metadata.put(name, bytes(value));
        return metadata;
    }

    static List<String> keys(StatePage page) {
        return page.entries().stream().map(StatePage.Entry::key).toList();
    }

    static Optional<ByteString> valueOf(StateStore store, String namespace, String key) {
        return store.get(namespace, key).map(VersionedValue::value);
    }
}
