package org.banyan.ledger.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.banyan.crypto.Assert;
import org.banyan.ledger.storage.ByteReader;
import org.banyan.ledger.storage.LengthPrefixedOrder;
import org.banyan.ledger.storage.RocksDbHandle;
import org.banyan.ledger.storage.StorageException;
import org.rocksdb.RocksIterator;

/**
 * The history database in one RocksDB directory. Keys are laid out by {@link HistoryKeys} so one prefix scan
 * returns a key's writes oldest first; the value is one byte, 1 for a delete and 0 for a write. The savepoint
 * is written in the same batch as a block's entries.
 *
 * <p><b>Durability.</b> Writes are not fsynced (see {@link RocksDbHandle}); the ledger replays blocks above
 * {@link #savepoint()} after a crash. Call {@link #sync()} to force the log to disk.
 *
 * <p><b>Threads.</b> One writer calls {@link #apply}; any number of threads read. IO failures surface as
 * {@link StorageException}.
 */
public final class RocksDbHistoryStore implements HistoryStore {
    private static final String KIND = "banyan-history-v1";
    private static final byte[] WRITE = {0};
    private static final byte[] DELETE = {1};

    private final RocksDbHandle db;

    private RocksDbHistoryStore(RocksDbHandle db) {
        this.db = db;
    }

    /**
     * Opens the history store in {@code dir}, creating it when missing.
     *
     * @throws IllegalArgumentException when {@code dir} holds another kind of store
     * @throws StorageException when the directory cannot be opened
     */
    public static RocksDbHistoryStore open(Path dir) {
        return new RocksDbHistoryStore(RocksDbHandle.open(dir, KIND));
    }

    @Override
    public List<HistoryEntry> history(String namespace, String key, long afterBlock, int afterTx, int limit) {
        HistoryArguments.checkQuery(namespace, key, afterBlock, afterTx, limit);
        byte[] prefix = HistoryKeys.prefix(namespace, key);
        // Positions sort as numbers, so seeking to the next possible position skips everything up to the given one.
        byte[] from = afterBlock == FROM_START ? prefix : afterTx < Integer.MAX_VALUE
                ? HistoryKeys.encode(new HistoryEntry(namespace, key, afterBlock, afterTx + 1, false))
                : HistoryKeys.encode(new HistoryEntry(namespace, key, afterBlock + 1, 0, false));
        return db.scan(from, iterator -> collect(iterator, prefix, namespace, key, limit));
    }

    @Override
    public List<WrittenKey> keys(String afterNamespace, String afterKey, int limit) {
        HistoryArguments.checkKeys(afterNamespace, afterKey, limit);
        // All entries of a key share its prefix, so one seek past the prefix lands on the next key: one seek per
        // key returned, however long its history. Keys are never empty, so ("ns", "") precedes all of ns.
        byte[] after = HistoryKeys.prefix(afterNamespace, afterKey);
        byte[] from = afterKey.isEmpty() ? after : LengthPrefixedOrder.successor(after);
        return db.scan(from, iterator -> {
            List<WrittenKey> keys = new ArrayList<>(Math.min(limit, 1_024));
            while (keys.size() < limit && iterator.isValid() && iterator.key()[0] == RocksDbHandle.DATA) {
                WrittenKey key = HistoryKeys.decodeKey(iterator.key());
                Assert.that(keys.isEmpty() || WrittenKey.ORDER.compare(keys.getLast(), key) < 0,
                        "history keys out of order at %s", key);
                keys.add(key);
                iterator.seek(LengthPrefixedOrder.successor(HistoryKeys.prefix(key.namespace(), key.key())));
            }
            return List.copyOf(keys);
        });
    }

    @Override
    public void apply(long blockNumber, List<HistoryEntry> entries) {
        HistoryArguments.checkBlock("history store", db.savepoint(), blockNumber, entries);
        db.writeBlock(blockNumber, batch -> {
            for (HistoryEntry entry : entries) {
                batch.put(HistoryKeys.encode(entry), entry.delete() ? DELETE : WRITE);
            }
        });
    }

    @Override
    public long savepoint() {
        return db.savepoint();
    }

    /** Forces every recorded block to disk (fsync of RocksDB's write-ahead log). */
    public void sync() {
        db.sync();
    }

    /** Releases the native handles; waits for running calls. A second close does nothing. */
    @Override
    public void close() {
        db.close();
    }

    private static List<HistoryEntry> collect(RocksIterator iterator, byte[] prefix, String namespace, String key,
                                              int limit) {
        List<HistoryEntry> entries = new ArrayList<>(Math.min(limit, 1_024));
        for (; entries.size() < limit && iterator.isValid(); iterator.next()) {
            byte[] stored = iterator.key();
            if (stored.length < prefix.length || !Arrays.equals(stored, 0, prefix.length, prefix, 0, prefix.length)) {
                break;
            }
            HistoryKeys.Position position = HistoryKeys.decodePosition(stored, prefix.length);
            HistoryEntry entry = new HistoryEntry(namespace, key, position.blockNumber(), position.txNumber(),
                    decodeDelete(iterator.value(), namespace, key));
            Assert.that(entries.isEmpty() || isBefore(entries.getLast(), entry), "history out of order at %s", entry);
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    private static boolean decodeDelete(byte[] stored, String namespace, String key) {
        ByteReader reader = new ByteReader(stored, 0, "history value of " + namespace + "/" + key);
        int flag = reader.readByte();
        reader.expectEnd();
        if (flag > 1) {
            throw reader.corrupt("delete flag " + flag);
        }
        return flag == 1;
    }

    private static boolean isBefore(HistoryEntry a, HistoryEntry b) {
        return a.blockNumber() < b.blockNumber()
                || (a.blockNumber() == b.blockNumber() && a.txNumber() < b.txNumber());
    }
}
