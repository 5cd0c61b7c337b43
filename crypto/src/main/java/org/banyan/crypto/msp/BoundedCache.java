package org.banyan.crypto.msp;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A thread-safe memo with a hard size limit. When full it is emptied and refills: identities in a network are
 * few and repeat, so the rare reset costs a few decodes, and no LRU bookkeeping sits on the hot path.
 */
final class BoundedCache<K, V> {
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final int entriesMax;

    BoundedCache(int entriesMax) {
        org.banyan.crypto.Assert.that(entriesMax > 0, "entriesMax=%d", entriesMax);
        this.entriesMax = entriesMax;
    }

    V get(K key, Function<K, V> compute) {
        return get(key, UnaryOperator.identity(), compute);
    }

    /**
     * As {@link #get(Object, Function)}, storing {@code owned.apply(key)} instead of {@code key} on a miss, so a
     * lookup may use a key that borrows the caller's (mutable) data and only a stored key owns a copy.
     */
    V get(K key, UnaryOperator<K> owned, Function<K, V> compute) {
        V cached = entries.get(key);
        if (cached != null) {
            return cached;
        }
        if (entries.size() >= entriesMax) {
            entries.clear();
        }
        V value = compute.apply(key);
        entries.putIfAbsent(owned.apply(key), value);
        return value;
    }
}
