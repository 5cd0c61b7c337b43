package org.banyan.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.banyan.ledger.storage.TempDirectory;
import org.banyan.ledger.storage.Utf8;

/** {@link RocksDbStateStore} answers every read exactly as the reference {@link InMemoryStateStore} does. */
class StateStoreEquivalenceProperties {
    private static final List<String> NAMESPACES = List.of("a", "ab", "b");
    /** Pieces that stress the byte order: U+0000, ASCII, 2-byte, the top of the BMP, surrogate pairs, U+10FFFF. */
    private static final List<String> KEY_PIECES =
            List.of("\u0000", "a", "b", "\u00E9", "\uE000", "\uFFFF", "\uD83D\uDE00", "\uDBFF\uDFFF");

    /** One generated write or delete, before its block and tx are known. */
    record Op(String namespace, String key, boolean delete, ByteString value, SortedMap<String, ByteString> metadata) {}

    @Property(tries = 100)
    void rocksDbMatchesTheReference(@ForAll("blocks") List<List<Op>> blocks,
                                    @ForAll @IntRange(min = 1, max = 7) int pageSizeMax) {
        try (TempDirectory dir = new TempDirectory("banyan-state-prop");
             StateStore rocks = RocksDbStateStore.open(dir.path());
             StateStore reference = new InMemoryStateStore()) {
            TreeSet<String> keysSeen = new TreeSet<>(Utf8.ORDER);
            long blockNumber = 0;
            for (List<Op> ops : blocks) {
                List<StateUpdate> updates = toUpdates(blockNumber, ops);
                rocks.apply(blockNumber, updates);
                reference.apply(blockNumber, updates);
                ops.forEach(op -> keysSeen.add(op.key()));
                assertSameReads(rocks, reference, keysSeen, pageSizeMax);
                blockNumber += 1 + blockNumber % 2; // include gaps
            }
            assertThat(rocks.savepoint()).isEqualTo(reference.savepoint());
        }
    }

    private static void assertSameReads(StateStore rocks, StateStore reference, TreeSet<String> keys, int pageSizeMax) {
        List<String> bounds = new ArrayList<>(keys);
        bounds.add("");
        bounds.add(KEY_PIECES.getLast() + KEY_PIECES.getLast());
        for (String namespace : NAMESPACES) {
            for (String key : keys) {
                assertThat(rocks.get(namespace, key)).as("get %s/%s", namespace, key).isEqualTo(reference.get(namespace, key));
            }
            assertThat(allPages(rocks, namespace, "", "", pageSizeMax))
                    .isEqualTo(allPages(reference, namespace, "", "", pageSizeMax));
            // A sample of bounded ranges: every key as a start, paired with a few ends.
            for (int i = 0; i < bounds.size() - 1; i += 2) {
                String start = bounds.get(i);
                String end = bounds.get((i * 7 + 3) % (bounds.size() - 1));
                assertThat(allPages(rocks, namespace, start, end, pageSizeMax))
                        .as("range %s [%s, %s)", namespace, start, end)
                        .isEqualTo(allPages(reference, namespace, start, end, pageSizeMax));
            }
        }
    }

    /** Every page of a range, bookmarks included, in order. */
    private static List<StatePage> allPages(StateStore store, String namespace, String start, String end, int pageSizeMax) {
        List<StatePage> pages = new ArrayList<>();
        String bookmark = "";
        do {
            StatePage page = store.range(namespace, start, end, pageSizeMax, bookmark);
            pages.add(page);
            bookmark = page.bookmark();
            assertThat(pages).hasSizeLessThan(1_000);
        } while (!bookmark.isEmpty());
        return pages;
    }

    /** Numbers the ops as transactions of the block; a later op on the same key replaces the earlier one. */
    private static List<StateUpdate> toUpdates(long blockNumber, List<Op> ops) {
        Map<List<String>, StateUpdate> lastPerKey = new LinkedHashMap<>();
        for (int tx = 0; tx < ops.size(); tx++) {
            Op op = ops.get(tx);
            lastPerKey.remove(List.of(op.namespace(), op.key()));
            lastPerKey.put(List.of(op.namespace(), op.key()), new StateUpdate(op.namespace(), op.key(), op.delete(),
                    op.value(), op.metadata(), new Version(blockNumber, tx)));
        }
        return List.copyOf(lastPerKey.values());
    }

    @Provide
    Arbitrary<List<List<Op>>> blocks() {
        Arbitrary<String> keys = Arbitraries.of(KEY_PIECES).list().ofMinSize(1).ofMaxSize(3)
                .map(pieces -> String.join("", pieces));
        Arbitrary<ByteString> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(ByteString::copyFrom);
        // null keeps the key's metadata; an empty map clears it; a policy replaces it.
        Arbitrary<SortedMap<String, ByteString>> metadata = Arbitraries.oneOf(
                Arbitraries.<SortedMap<String, ByteString>>just(new TreeMap<>()),
                values.map(v -> (SortedMap<String, ByteString>) new TreeMap<>(Map.of("VALIDATION_PARAMETER", v))))
                .injectNull(0.4);
        Arbitrary<Op> ops = Combinators.combine(Arbitraries.of(NAMESPACES), keys,
                        Arbitraries.integers().between(0, 3).map(n -> n == 0), values, metadata)
                .as(Op::new);
        return ops.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(8);
    }
}
