package org.banyan.ledger.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import org.banyan.crypto.Assert;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB directory holding one derived store, with its native handles and savepoint.
 *
 * <p><b>Key space.</b> Every key of the store starts with {@link #DATA}; the handle's own records (the
 * savepoint, the store's kind) start with {@code 0x01}, so no data key can collide with them.
 *
 * <p><b>Durability.</b> Writes go to the write-ahead log without fsync ({@code sync=false}): a process crash
 * loses nothing, a power loss may lose the last blocks. That is safe because the store is derived — its
 * savepoint moves in the same batch as its data, and the ledger replays blocks above the savepoint from the
 * block store, which is the durable truth. {@link #sync()} forces the log to disk when a caller needs more.
 *
 * <p><b>Threads.</b> Any thread may read and write; {@link #close()} waits for running calls.
 */
public final class RocksDbHandle implements AutoCloseable {
    /** The first byte of every data key. */
    public static final int DATA = 0x00;

    private static final byte[] SAVEPOINT_KEY = meta("savepoint");
    private static final byte[] KIND_KEY = meta("kind");

    private final String name;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final StoreLock lock;
    /** The savepoint on disk, read once at open and kept by {@link #writeBlock} and {@link #reset}. */
    private volatile long savepoint = Savepoints.NONE;

    private RocksDbHandle(String name, Options options, WriteOptions writeOptions, RocksDB db) {
        this.name = name;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
        this.lock = new StoreLock(name);
    }

    /**
     * Opens (creating when missing) the store in {@code dir}.
     *
     * @param kind what the directory holds, for example "banyan-state-v1"; recorded on first open and
     *     checked on every later one, so a history directory is never opened as a state store
     * @throws IllegalArgumentException when {@code dir} holds a store of another kind
     * @throws StorageException when the directory cannot be created or opened (including: locked by
     *     another open handle)
     */
    public static RocksDbHandle open(Path dir, String kind) {
        RocksDB.loadLibrary();
        String name = kind + " at " + dir;
        try {
            Directories.createDurably(dir);
        } catch (IOException e) {
            throw StorageException.of("create " + dir, e);
        }
        Options options = withPointLookupFilters(new Options().setCreateIfMissing(true));
        WriteOptions writeOptions = new WriteOptions().setSync(false);
        RocksDbHandle handle;
        try {
            handle = new RocksDbHandle(name, options, writeOptions, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            writeOptions.close();
            options.close();
            throw StorageException.of("open " + name, e);
        }
        try {
            handle.checkKind(kind);
            handle.savepoint = handle.loadSavepoint();
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /**
     * Opens an existing store read-only, for tools that run beside a node holding it open (RocksDB takes no
     * lock for a read-only handle). The handle sees the store as of this call; writes fail.
     *
     * @param kind checked when the store recorded one; a store that never recorded its kind is accepted
     * @throws IllegalArgumentException when {@code dir} holds a store of another kind
     * @throws StorageException when the directory is not a store or cannot be read
     */
    public static RocksDbHandle openReadOnly(Path dir, String kind) {
        RocksDB.loadLibrary();
        String name = kind + " at " + dir + " (read-only)";
        Options options = new Options();
        WriteOptions writeOptions = new WriteOptions();
        RocksDbHandle handle;
        try {
            handle = new RocksDbHandle(name, options, writeOptions, RocksDB.openReadOnly(options, dir.toString()));
        } catch (RocksDBException e) {
            writeOptions.close();
            options.close();
            throw StorageException.of("open " + name, e);
        }
        byte[] stored = handle.get(KIND_KEY);
        if (stored != null && !kind.equals(new String(stored, StandardCharsets.UTF_8))) {
            handle.close();
            throw new IllegalArgumentException(name + ": the directory holds a "
                    + new String(stored, StandardCharsets.UTF_8) + " store");
        }
        try {
            handle.savepoint = handle.loadSavepoint();
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /**
     * Bloom filters for point reads of keys that are not there, the common case of a ledger: every transaction's
     * ID is looked up before it is accepted (duplicate check) on every node, and a new asset's key before it is
     * created. Without them RocksDB searches the memtable's skip list and each level's index for a miss; with them
     * (ten bits per key in table files, whole-key filtering in the memtable) a miss costs a few hash probes. Range
     * scans are unaffected. Table files written before keep working without a filter.
     */
    private static Options withPointLookupFilters(Options options) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(SharedBloom.FILTER)
                .setWholeKeyFiltering(true);
        return options.setTableFormatConfig(table).setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true);
    }

    /**
     * One filter policy for every store of the JVM: it holds no state (RocksDB shares it between databases), so it
     * is never closed. A holder class, so it is created after {@link RocksDB#loadLibrary()}.
     */
    private static final class SharedBloom {
        static final BloomFilter FILTER = new BloomFilter(10, false);
    }

    /** The stored value, or {@code null} when the key is absent. */
    public byte[] get(byte[] key) {
        return lock.shared(() -> {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw StorageException.of("read " + name, e);
            }
        });
    }

    /**
     * Runs {@code scan} over an iterator positioned at the first key {@code >= from}. The iterator sees one
     * consistent snapshot (RocksDB pins it when the iterator is created) and is closed afterwards; the scan
     * must not keep it.
     */
    public <T> T scan(byte[] from, Function<RocksIterator, T> scan) {
        return lock.shared(() -> {
            try (RocksIterator iterator = db.newIterator()) {
                iterator.seek(from);
                T result = scan.apply(iterator);
                // An IO error ends the iteration early as if the range were exhausted; status() tells them apart.
                iterator.status();
                return result;
            } catch (RocksDBException e) {
                throw StorageException.of("scan " + name, e);
            }
        });
    }

    /**
     * The savepoint recorded by the last {@link #writeBlock}, or {@link Savepoints#NONE}. Served from memory: the
     * handle is the store's only writer (a read-only handle sees the store as of its open anyway).
     */
    public long savepoint() {
        return savepoint;
    }

    private long loadSavepoint() {
        byte[] stored = get(SAVEPOINT_KEY);
        if (stored == null) {
            return Savepoints.NONE;
        }
        ByteReader reader = new ByteReader(stored, 0, "savepoint of " + name);
        long savepoint = reader.readLongBigEndian();
        reader.expectEnd();
        if (savepoint < 0) {
            throw reader.corrupt("negative savepoint " + savepoint);
        }
        return savepoint;
    }

    /**
     * Writes one block's changes and the new savepoint {@code blockNumber} in one atomic batch. The caller
     * checks the savepoint rule ({@link Savepoints#checkNext}) first.
     *
     * @param fill adds the block's puts and deletes; it may read the store, which still shows the previous block
     */
    public void writeBlock(long blockNumber, Consumer<Batch> fill) {
        Assert.that(blockNumber >= 0, "blockNumber=%d", blockNumber);
        lock.shared(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                Batch writes = new Batch(batch);
                fill.accept(writes);
                batch.put(SAVEPOINT_KEY, new ByteWriter(8).putLongBigEndian(blockNumber).toByteArray());
                db.write(writeOptions, batch);
                savepoint = blockNumber;
                return null;
            } catch (RocksDBException e) {
                throw StorageException.of("write block " + blockNumber + " to " + name, e);
            }
        });
    }

    /**
     * Deletes every data key and the savepoint (the kind stays), before a derived store is rebuilt from the
     * block store. Keys outside the handle's layout (an older format's) are deleted too.
     */
    public void reset() {
        lock.shared(() -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.deleteRange(new byte[] {DATA}, KIND_KEY);
                batch.deleteRange(successor(KIND_KEY), new byte[] {(byte) 0xff, (byte) 0xff});
                db.write(writeOptions, batch);
                savepoint = Savepoints.NONE;
                return null;
            } catch (RocksDBException e) {
                throw StorageException.of("reset " + name, e);
            }
        });
    }

    /** The smallest key greater than {@code key}: {@code key} followed by 0x00. */
    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** Forces every write so far to disk (fsync of the write-ahead log). */
    public void sync() {
        lock.shared(() -> {
            try {
                db.flushWal(true);
                return null;
            } catch (RocksDBException e) {
                throw StorageException.of("sync " + name, e);
            }
        });
    }

    /** Releases the native handles; waits for running calls; later calls fail, a second close does nothing. */
    @Override
    public void close() {
        lock.close(() -> {
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw StorageException.of("close " + name, e);
            } finally {
                writeOptions.close();
                options.close();
            }
        });
    }

    /** The puts and deletes of one block, applied together by {@link #writeBlock}. */
    public static final class Batch {
        private final WriteBatch batch;

        private Batch(WriteBatch batch) {
            this.batch = batch;
        }

        /** Sets a data key; it must start with {@link #DATA}. */
        public void put(byte[] key, byte[] value) {
            checkDataKey(key);
            try {
                batch.put(key, value);
            } catch (RocksDBException e) {
                throw StorageException.of("batch put", e);
            }
        }

        /** Deletes a data key; it must start with {@link #DATA}. */
        public void delete(byte[] key) {
            checkDataKey(key);
            try {
                batch.delete(key);
            } catch (RocksDBException e) {
                throw StorageException.of("batch delete", e);
            }
        }

        private static void checkDataKey(byte[] key) {
            Assert.that(key.length > 0 && key[0] == DATA, "data key must start with 0x%02x", DATA);
        }
    }

    private void checkKind(String kind) {
        byte[] stored = get(KIND_KEY);
        if (stored == null) {
            lock.shared(() -> {
                try {
                    db.put(writeOptions, KIND_KEY, kind.getBytes(StandardCharsets.UTF_8));
                    return null;
                } catch (RocksDBException e) {
                    throw StorageException.of("initialise " + name, e);
                }
            });
        } else if (!kind.equals(new String(stored, StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException(name + ": the directory holds a "
                    + new String(stored, StandardCharsets.UTF_8) + " store");
        }
    }

    private static byte[] meta(String name) {
        return new ByteWriter(1 + name.length()).putByte(0x01)
                .putBytes(name.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }
}
