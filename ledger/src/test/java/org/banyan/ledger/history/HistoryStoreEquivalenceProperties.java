package org.banyan.ledger.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.banyan.ledger.storage.TempDirectory;

/** {@link RocksDbHistoryStore} answers every query exactly as the reference {@link InMemoryHistoryStore} does. */
class HistoryStoreEquivalenceProperties {
    private static final List<String> NAMESPACES = List.of("a", "ab");
    private static final List<String> KEY_PIECES = List.of("\u0000", "a", "b", "\uFFFF", "\uD83D\uDE00", "\uDBFF\uDFFF");

    /** One generated write: a key, a delete flag, and a tx number that may repeat (then only the first counts). */
    record Op(String namespace, String key, boolean delete, int txNumber) {}

    @Property(tries = 100)
    void rocksDbMatchesTheReference(@ForAll("blocks") List<List<Op>> blocks, @ForAll @IntRange(min = 1, max = 5) int limit) {
        try (TempDirectory dir = new TempDirectory("banyan-history-prop");
             HistoryStore rocks = RocksDbHistoryStore.open(dir.path());
             HistoryStore reference = new InMemoryHistoryStore()) {
            List<Op> seen = new ArrayList<>();
            long blockNumber = 0;
            for (List<Op> ops : blocks) {
                List<HistoryEntry> entries = toEntries(blockNumber, ops);
                rocks.apply(blockNumber, entries);
                reference.apply(blockNumber, entries);
                seen.addAll(ops);
                for (Op op : seen) {
                    assertThat(rocks.history(op.namespace(), op.key(), limit))
                            .isEqualTo(reference.history(op.namespace(), op.key(), limit));
                    assertThat(rocks.history(op.namespace(), op.key(), HistoryStore.LIMIT_MAX))
                            .isEqualTo(reference.history(op.namespace(), op.key(), HistoryStore.LIMIT_MAX));
                }
                blockNumber += 1 + blockNumber % 3;
            }
            assertThat(rocks.savepoint()).isEqualTo(reference.savepoint());
        }
    }

    private static List<HistoryEntry> toEntries(long blockNumber, List<Op> ops) {
        Map<List<Object>, HistoryEntry> unique = new LinkedHashMap<>();
        for (Op op : ops) {
            unique.putIfAbsent(List.of(op.namespace(), op.key(), op.txNumber()),
                    new HistoryEntry(op.namespace(), op.key(), blockNumber, op.txNumber(), op.delete()));
        }
        return List.copyOf(unique.values());
    }

    @Provide
    Arbitrary<List<List<Op>>> blocks() {
        Arbitrary<String> keys = Arbitraries.of(KEY_PIECES).list().ofMinSize(1).ofMaxSize(3)
                .map(pieces -> String.join("", pieces));
        Arbitrary<Op> ops = Combinators.combine(Arbitraries.of(NAMESPACES), keys, Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 300)).as(Op::new);
        return ops.list().ofMaxSize(10).list().ofMinSize(1).ofMaxSize(8);
    }
}
