package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.banyan.ledger.storage.LengthPrefixedOrder;
import org.banyan.ledger.storage.Savepoints;
import org.banyan.ledger.storage.StoreLock;
import org.banyan.ledger.storage.Utf8;

/**
 * The world state in memory: the reference model for property tests of other stores, and a store for tests
 * of other modules. Same semantics as {@link RocksDbStateStore} (keys in UTF-8 byte order, the same argument
 * checks and savepoint rule), nothing persisted.
 *
 * <p><b>Threads.</b> One writer calls {@link #apply}; any number of threads read. Reads share a lock that
 * {@code apply} takes alone, so each call sees whole blocks.
 */
public final class InMemoryStateStore implements StateStore {
    /** The keys of a namespace never written; ordered like the real ones, so subMap accepts the same bounds. */
    private static final NavigableMap<String, VersionedValue> NO_KEYS =
            Collections.unmodifiableNavigableMap(new TreeMap<>(Utf8.ORDER));

    private final StoreLock lock = new StoreLock("in-memory state store");
    /**
     * Namespace to its keys in UTF-8 byte order; namespaces in {@link LengthPrefixedOrder} like RocksDB's.
     * A namespace whose last key is deleted is removed, so every namespace here holds a key.
     */
    private final NavigableMap<String, NavigableMap<String, VersionedValue>> namespaces =
            new TreeMap<>(LengthPrefixedOrder.ORDER);
    private long savepoint = Savepoints.NONE; // guarded by lock

    /** An empty store with savepoint -1. */
    public InMemoryStateStore() {}

    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(key, "key");
        return lock.shared(() -> Optional.ofNullable(keys(namespace).get(key)));
    }

    @Override
    public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
        RangeQuery query = RangeQuery.of(namespace, startKey, endKey, pageSizeMax, bookmark);
        if (query.isEmpty()) {
            return Pages.empty();
        }
        return lock.shared(() -> {
            NavigableMap<String, VersionedValue> keys = keys(namespace);
            SortedMap<String, VersionedValue> inRange = query.endKey().isEmpty()
                    ? keys.tailMap(query.from(), true)
                    : keys.subMap(query.from(), true, query.endKey(), false);
            return Pages.cut(inRange.entrySet().stream()
                    .map(entry -> new StatePage.Entry(entry.getKey(), entry.getValue())).iterator(),
                    query.pageSizeMax());
        });
    }

    @Override
    public List<String> namespaces(String afterNamespace, int limit) {
        RangeQuery.checkNamespaces(afterNamespace, limit);
        return lock.shared(() -> {
            NavigableMap<String, NavigableMap<String, VersionedValue>> after = afterNamespace.isEmpty()
                    ? namespaces : namespaces.tailMap(afterNamespace, false);
            return after.keySet().stream().limit(limit).toList();
        });
    }

    @Override
    public void apply(long blockNumber, List<StateUpdate> updates) {
        lock.exclusive(() -> {
            // Everything is checked before the first change, so a rejected block leaves no trace.
            StateUpdates.check("in-memory state store", savepoint, blockNumber, updates);
            for (StateUpdate update : updates) {
                applyOne(update);
            }
            savepoint = blockNumber;
            return null;
        });
    }

    @Override
    public long savepoint() {
        return lock.shared(() -> savepoint);
    }

    /** Drops the contents; later calls fail. */
    @Override
    public void close() {
        lock.close(namespaces::clear);
    }

    private void applyOne(StateUpdate update) {
        NavigableMap<String, VersionedValue> keys =
                namespaces.computeIfAbsent(update.namespace(), name -> new TreeMap<>(Utf8.ORDER));
        if (update.delete()) {
            keys.remove(update.key());
            if (keys.isEmpty()) {
                namespaces.remove(update.namespace());
            }
            return;
        }
        VersionedValue existing = keys.get(update.key());
        SortedMap<String, ByteString> metadata = update.metadata() != null ? update.metadata()
                : existing != null ? existing.metadata() : new TreeMap<>();
        keys.put(update.key(), new VersionedValue(update.value(), update.version(), metadata));
    }

    private NavigableMap<String, VersionedValue> keys(String namespace) {
        return namespaces.getOrDefault(namespace, NO_KEYS);
    }
}
