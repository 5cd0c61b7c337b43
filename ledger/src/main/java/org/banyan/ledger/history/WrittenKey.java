package org.banyan.ledger.history;

import java.util.Comparator;
import org.banyan.ledger.storage.LengthPrefixedOrder;

/** A (namespace, key) with at least one entry in a {@link HistoryStore}. */
public record WrittenKey(String namespace, String key) {
    /**
     * The order {@link HistoryStore#keys} returns keys in, which is RocksDB's order of the length-prefixed
     * encoding: by namespace, then by key, each in {@link LengthPrefixedOrder}.
     */
    public static final Comparator<WrittenKey> ORDER = Comparator
            .comparing(WrittenKey::namespace, LengthPrefixedOrder.ORDER)
            .thenComparing(WrittenKey::key, LengthPrefixedOrder.ORDER);
}
