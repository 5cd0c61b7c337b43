package org.banyan.ledger.simulation;

import org.banyan.ledger.CommittedState;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.ledger.storage.Utf8;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;

/**
 * Simulates one transaction over committed state and records Fabric's read/write set, following Fabric's
 * {@code txmgr.txSimulator}, {@code queryExecutor} and {@code RWSetBuilder}:
 *
 * <ul>
 *   <li>Reads return the <em>committed</em> value: a transaction does not see its own writes (Fabric does not
 *       read your own writes). Each read records the key with the version it saw, or with no version when the
 *       key does not exist; reading a key twice records it once. An empty key reads as absent and is recorded
 *       (Fabric on LevelDB).
 *   <li>A write of an empty value is a delete ({@code is_delete}); the last write of a key wins. A write of the
 *       empty key is refused (Banyan's state store, like Fabric's CouchDB, holds no empty key).
 *   <li>A metadata write replaces the key's metadata with the given entries (sorted by name); an empty map
 *       deletes it.
 *   <li>Range scans ({@link RangeIterator}) record {@code RangeQueryInfo} with raw reads, in the order the scans
 *       were <em>opened</em> (Fabric appends each iterator when it is created and adds their infos in that order
 *       when the results are taken); a repeated (start, end, exhausted) is recorded once, the first opened.
 *       Fabric summarises more than 50 reads as a Merkle tree; Banyan always records raw reads.
 *   <li>Paginated scans are for read-only transactions: a paginated scan after a write, or a write after a
 *       paginated scan, fails with Fabric's message.
 *   <li>{@link #results()} ends the simulation: it closes open scans and builds the set once (namespaces sorted,
 *       and within each the reads, writes and metadata writes sorted by key in UTF-8 byte order, as Go sorts
 *       strings); every later call but {@code results()} throws, so the set is a snapshot nothing changes.
 * </ul>
 *
 * <p>Limits: at most {@code keysMax} keys read, written and scanned, counted together, and at most
 * {@link #RANGE_QUERIES_MAX} scans; past either the call that would exceed it throws and records nothing more,
 * while everything recorded so far (a scan's reads included) stays in the set.
 *
 * <p>Thread-safe: every call holds one lock, so a request served late cannot interleave with
 * {@link #results()}; callers still serve one transaction's requests in order, as Fabric's handler does.
 */
public final class TxSimulator {
    /** The default for {@code keysMax}: keys one transaction may read, write and scan, counted together. */
    public static final int KEYS_MAX = 1_000_000;
    /** The most range scans one transaction may open. */
    public static final int RANGE_QUERIES_MAX = 10_000;

    private final String txId;
    private final CommittedState state;
    private final int keysMax;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Namespace> namespaces = new TreeMap<>(Utf8.ORDER);
    /** Every scan opened, in the order opened (Fabric's {@code queryExecutor.itrs}). */
    private final List<RangeIterator> scans = new ArrayList<>();
    private int keysTouched;
    private boolean writePerformed;
    private boolean paginatedQueryPerformed;
    /** The read/write set, once the simulation is done. */
    private TxReadWriteSet results;

    /**
     * @param txId the transaction simulated, for error messages
     * @param state the committed state read
     */
    public TxSimulator(String txId, CommittedState state) {
        this(txId, state, KEYS_MAX);
    }

    /**
     * @param keysMax keys the transaction may read, write and scan, counted together
     */
    public TxSimulator(String txId, CommittedState state, int keysMax) {
        if (keysMax < 1) {
            throw new IllegalArgumentException("keysMax=" + keysMax + " must be positive");
        }
        this.txId = txId;
        this.state = state;
        this.keysMax = keysMax;
    }

    /** The transaction simulated. */
    public String txId() {
        return txId;
    }

    /** The committed value of a key, or empty; records the read with the version seen. */
    public Optional<ByteString> getState(String namespace, String key) {
        return getVersioned(namespace, key).map(VersionedValue::value);
    }

    /** The committed metadata of a key (empty when none or the key does not exist); records the read. */
    public SortedMap<String, ByteString> getStateMetadata(String namespace, String key) {
        return getVersioned(namespace, key).map(VersionedValue::metadata)
                .orElse(Collections.emptySortedMap());
    }

    /**
     * Writes a key; an empty value deletes it, as in Fabric.
     *
     * @throws SimulationException for the empty key, after a paginated scan, or past the keys limit
     */
    public void putState(String namespace, String key, ByteString value) {
        lock.lock();
        try {
            checkWrite(namespace, key);
            KVWrite.Builder write = KVWrite.newBuilder().setKey(key);
            if (value.isEmpty()) {
                write.setIsDelete(true);
            } else {
                write.setValue(value);
            }
            namespace(namespace).writes.put(key, write.build());
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a key; refused as {@link #putState}. */
    public void deleteState(String namespace, String key) {
        putState(namespace, key, ByteString.EMPTY);
    }

    /** Replaces a key's metadata (for example {@code VALIDATION_PARAMETER}); an empty map deletes it. */
    public void setStateMetadata(String namespace, String key, Map<String, ByteString> metadata) {
        lock.lock();
        try {
            checkWrite(namespace, key);
            KVMetadataWrite.Builder write = KVMetadataWrite.newBuilder().setKey(key);
            new TreeMap<>(metadata).forEach((name, value) ->
                    write.addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(value)));
            namespace(namespace).metadataWrites.put(key, write.build());
        } finally {
            lock.unlock();
        }
    }

    /** Scans {@code [startKey, endKey)} (empty end: unbounded); close the iterator, or {@link #results()} will. */
    public RangeIterator rangeScan(String namespace, String startKey, String endKey) {
        lock.lock();
        try {
            return openScan(namespace, startKey, endKey, Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Scans at most {@code pageSize} keys of {@code [startKey, endKey)} for a read-only transaction; the
     * iterator's {@link RangeIterator#bookmark()} starts the next page (pass it as {@code startKey}). A page size
     * of 0 or less does not limit the scan, as Fabric's LevelDB scanner.
     *
     * @throws SimulationException when the transaction has written
     */
    public RangeIterator rangeScanWithPagination(String namespace, String startKey, String endKey, int pageSize) {
        lock.lock();
        try {
            checkBeforePaginatedQuery();
            return openScan(namespace, startKey, endKey, pageSize > 0 ? pageSize : Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A rich query ({@code GetQueryResult}): refused with the message of Fabric's LevelDB state database, which
     * has no rich queries; Banyan's state store has none either.
     *
     * @throws SimulationException always
     */
    public void executeQuery(String namespace, String query) {
        lock.lock();
        try {
            checkNotDone();
            throw new SimulationException("ExecuteQuery not supported for leveldb");
        } finally {
            lock.unlock();
        }
    }

    /**
     * A paginated rich query: as Fabric's simulator, it counts as a paginated query (refused after a write, and
     * no write is allowed after it), then fails as Fabric's LevelDB state database does.
     *
     * @throws SimulationException always
     */
    public void executeQueryWithPagination(String namespace, String query, String bookmark, int pageSize) {
        lock.lock();
        try {
            checkBeforePaginatedQuery();
            throw new SimulationException("ExecuteQueryWithMetadata not supported for leveldb");
        } finally {
            lock.unlock();
        }
    }

    /** Whether the transaction wrote any key or metadata (or tried to: Fabric marks the attempt). */
    public boolean hasWrites() {
        lock.lock();
        try {
            return writePerformed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the simulation, if it is not over, and returns its read/write set: open scans are closed, every
     * scan opened is recorded in the order opened, and every later call of any method but this one throws.
     * Calling it again returns the same set.
     */
    public TxReadWriteSet results() {
        lock.lock();
        try {
            if (results == null) {
                for (RangeIterator scan : scans) {
                    scan.closeHoldingLock();
                }
                for (RangeIterator scan : scans) {
                    RangeQueryInfo info = scan.info();
                    namespace(scan.namespace()).rangeQueries.putIfAbsent(
                            new RangeKey(info.getStartKey(), info.getEndKey(), info.getItrExhausted()), info);
                }
                TxReadWriteSet.Builder set = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
                namespaces.forEach((name, ns) -> set.addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace(name).setRwset(ns.build().toByteString())));
                results = set.build();
            }
            return results;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the simulation without using its results (Fabric's {@code Done}): later calls but results() throw. */
    public void done() {
        results();
    }

    /** A recorded read: the key and the version seen, none when the key does not exist. */
    static KVRead read(String key, Optional<VersionedValue> value) {
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        value.ifPresent(v -> read.setVersion(Version.newBuilder()
                .setBlockNum(v.version().blockNumber()).setTxNum(v.version().txNumber())));
        return read.build();
    }

    CommittedState state() {
        return state;
    }

    ReentrantLock lock() {
        return lock;
    }

    /**
     * Counts keys a scan is about to read; the caller holds the lock.
     *
     * @throws SimulationException past the limit, with nothing counted
     */
    void keysTouched(int count) {
        if (keysTouched + (long) count > keysMax) {
            throw new SimulationException("txid [" + txId + "]: transaction touches more than " + keysMax + " keys");
        }
        keysTouched += count;
    }

    private Optional<VersionedValue> getVersioned(String namespace, String key) {
        lock.lock();
        try {
            checkNotDone();
            Utf8.checkNonEmpty(namespace, "namespace");
            // As Fabric on LevelDB: the empty key is read like any other (it never exists) and recorded.
            Utf8.check(key, "key");
            Namespace known = namespaces.get(namespace);
            if (known == null || !known.reads.containsKey(key)) {
                keysTouched(1);
            }
            Optional<VersionedValue> value = state.get(namespace, key);
            namespace(namespace).reads.put(key, read(key, value));
            return value;
        } finally {
            lock.unlock();
        }
    }

    private RangeIterator openScan(String namespace, String startKey, String endKey, int resultsMax) {
        checkNotDone();
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(startKey, "startKey");
        Utf8.check(endKey, "endKey");
        if (scans.size() >= RANGE_QUERIES_MAX) {
            throw new SimulationException("txid [" + txId + "]: transaction opens more than " + RANGE_QUERIES_MAX
                    + " range queries");
        }
        RangeIterator scan = new RangeIterator(this, namespace, startKey, endKey, resultsMax);
        scans.add(scan);
        return scan;
    }

    /** Fabric's {@code checkBeforePaginatedQueries}; the caller holds the lock. */
    private void checkBeforePaginatedQuery() {
        checkNotDone();
        if (writePerformed) {
            throw new SimulationException("txid [" + txId + "]: unsuppored transaction. Paginated queries are"
                    + " supported only in a read-only transaction");
        }
        paginatedQueryPerformed = true;
    }

    /** Fabric's {@code checkWritePrecondition}, in its order; the caller holds the lock. */
    private void checkWrite(String namespace, String key) {
        checkNotDone();
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(key, "key");
        if (paginatedQueryPerformed) {
            throw new SimulationException("txid [" + txId + "]: unsuppored transaction. Transaction has already"
                    + " performed a paginated query. Writes are not allowed");
        }
        writePerformed = true;
        if (key.isEmpty()) {
            // Fabric's CouchDB state database refuses the empty key with this message (LevelDB takes it); Banyan's
            // state store cannot hold it either, so the write is refused here rather than at commit.
            throw new SimulationException("invalid key. Empty string is not supported as a key");
        }
        keysTouched(1);
    }

    private void checkNotDone() {
        if (results != null) {
            throw new SimulationException("txid [" + txId + "]: simulation is complete");
        }
    }

    private Namespace namespace(String name) {
        return namespaces.computeIfAbsent(name, n -> new Namespace());
    }

    private record RangeKey(String startKey, String endKey, boolean exhausted) {}

    /** One namespace's reads and writes, kept sorted by key as Fabric's builder sorts them. */
    private static final class Namespace {
        final SortedMap<String, KVRead> reads = new TreeMap<>(Utf8.ORDER);
        final SortedMap<String, KVWrite> writes = new TreeMap<>(Utf8.ORDER);
        final SortedMap<String, KVMetadataWrite> metadataWrites = new TreeMap<>(Utf8.ORDER);
        /** In the order the scans were opened. */
        final Map<RangeKey, RangeQueryInfo> rangeQueries = new LinkedHashMap<>();

        KVRWSet build() {
            return KVRWSet.newBuilder()
                    .addAllReads(reads.values())
                    .addAllRangeQueriesInfo(new ArrayList<>(rangeQueries.values()))
                    .addAllWrites(writes.values())
                    .addAllMetadataWrites(metadataWrites.values())
                    .build();
        }
    }
}
