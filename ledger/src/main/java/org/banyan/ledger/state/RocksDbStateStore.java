package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.banyan.crypto.Assert;
import org.banyan.ledger.storage.LengthPrefixedOrder;
import org.banyan.ledger.storage.RocksDbHandle;
import org.banyan.ledger.storage.StorageException;
import org.banyan.ledger.storage.Utf8;
import org.rocksdb.RocksIterator;

/**
 * The world state in one RocksDB directory. Keys are laid out by {@link StateKeys}, values by
 * {@link VersionedValueCodec}; the savepoint is written in the same batch as a block's updates.
 *
 * <p><b>Durability.</b> Writes are not fsynced (see {@link RocksDbHandle}): after a power loss the store may
 * be a few blocks behind, never torn within a block, and the ledger replays above {@link #savepoint()} from
 * the block store. Call {@link #sync()} to force the log to disk.
 *
 * <p><b>Threads.</b> One writer calls {@link #apply}; any number of threads read. {@link #close()} waits for
 * running calls. IO failures surface as {@link StorageException}.
 */
public final class RocksDbStateStore implements StateStore {
    private static final String KIND = "banyan-state-v1";

    private final RocksDbHandle db;

    private RocksDbStateStore(RocksDbHandle db) {
        this.db = db;
    }

    /**
     * Opens the state store in {@code dir}, creating it when missing.
     *
     * @throws IllegalArgumentException when {@code dir} holds another kind of store
     * @throws StorageException when the directory cannot be opened (missing permissions, locked by another
     *     open store, corrupt)
     */
    public static RocksDbStateStore open(Path dir) {
        return new RocksDbStateStore(RocksDbHandle.open(dir, KIND));
    }

    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(key, "key");
        byte[] stored = db.get(StateKeys.encode(namespace, key));
        return stored == null ? Optional.empty() : Optional.of(decode(namespace, key, stored));
    }

    @Override
    public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
        RangeQuery query = RangeQuery.of(namespace, startKey, endKey, pageSizeMax, bookmark);
        if (query.isEmpty()) {
            return Pages.empty();
        }
        byte[] prefix = StateKeys.prefix(namespace);
        return db.scan(StateKeys.encode(namespace, query.from()),
                iterator -> Pages.cut(new Entries(iterator, prefix, query), query.pageSizeMax()));
    }

    @Override
    public List<String> namespaces(String afterNamespace, int limit) {
        RangeQuery.checkNamespaces(afterNamespace, limit);
        // All keys of a namespace share its prefix, so one seek past the prefix lands on the next namespace:
        // one seek per namespace returned, however many keys each holds.
        byte[] from = afterNamespace.isEmpty() ? new byte[] {RocksDbHandle.DATA}
                : LengthPrefixedOrder.successor(StateKeys.prefix(afterNamespace));
        return db.scan(from, iterator -> {
            List<String> names = new ArrayList<>(Math.min(limit, 1_024));
            while (names.size() < limit && iterator.isValid() && iterator.key()[0] == RocksDbHandle.DATA) {
                String namespace = StateKeys.decodeNamespace(iterator.key());
                Assert.that(names.isEmpty() || LengthPrefixedOrder.compare(names.getLast(), namespace) < 0,
                        "namespaces out of order at %s", namespace);
                names.add(namespace);
                iterator.seek(LengthPrefixedOrder.successor(StateKeys.prefix(namespace)));
            }
            return List.copyOf(names);
        });
    }

    @Override
    public void apply(long blockNumber, List<StateUpdate> updates) {
        StateUpdates.check("state store", db.savepoint(), blockNumber, updates);
        db.writeBlock(blockNumber, batch -> {
            for (StateUpdate update : updates) {
                byte[] key = StateKeys.encode(update.namespace(), update.key());
                if (update.delete()) {
                    batch.delete(key);
                } else {
                    VersionedValue value = new VersionedValue(update.value(), update.version(),
                            update.metadata() != null ? update.metadata() : existingMetadata(update, key));
                    batch.put(key, VersionedValueCodec.encode(value));
                }
            }
        });
    }

    @Override
    public long savepoint() {
        return db.savepoint();
    }

    /** Forces every applied block to disk (fsync of RocksDB's write-ahead log). */
    public void sync() {
        db.sync();
    }

    /** Releases the native handles; waits for running calls. A second close does nothing. */
    @Override
    public void close() {
        db.close();
    }

    /** The key's metadata before this block (the batch is not yet visible), or none for a new key. */
    private SortedMap<String, ByteString> existingMetadata(StateUpdate update, byte[] key) {
        byte[] stored = db.get(key);
        return stored == null ? new TreeMap<>() : decode(update.namespace(), update.key(), stored).metadata();
    }

    private static VersionedValue decode(String namespace, String key, byte[] stored) {
        return VersionedValueCodec.decode(stored, "state value of " + namespace + "/" + key);
    }

    /** The decoded entries of a RocksDB iterator, from its position to the end of the query's range. */
    private static final class Entries implements Iterator<StatePage.Entry> {
        private final RocksIterator iterator;
        private final byte[] prefix;
        private final RangeQuery query;
        private StatePage.Entry next;

        Entries(RocksIterator iterator, byte[] prefix, RangeQuery query) {
            this.iterator = iterator;
            this.prefix = prefix;
            this.query = query;
            this.next = read();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public StatePage.Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            StatePage.Entry current = next;
            iterator.next();
            next = read();
            return current;
        }

        /** The entry under the iterator, or null past the namespace or the range's end. */
        private StatePage.Entry read() {
            if (!iterator.isValid()) {
                return null;
            }
            byte[] stored = iterator.key();
            if (stored.length < prefix.length
                    || !Arrays.equals(stored, 0, prefix.length, prefix, 0, prefix.length)) {
                return null;
            }
            String key = StateKeys.decodeKey(stored, prefix.length);
            if (!query.beforeEnd(key)) {
                return null;
            }
            Assert.that(Utf8.compare(key, query.from()) >= 0, "key %s before range start %s", key, query.from());
            return new StatePage.Entry(key, decode(query.namespace(), key, iterator.value()));
        }
    }
}
