package org.banyan.ledger.simulation;

import org.banyan.ledger.CommittedState;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * {@code lockBasedTxSimulator} and {@code RWSetBuilder}:
 *
 * <ul>
 *   <li>Reads return the <em>committed</em> value: a transaction does not see its own writes (Fabric does not
 *       read your own writes). Each read records the key with the version it saw, or with no version when the
 *       key does not exist; reading a key twice records it once.
 *   <li>A write of an empty value is a delete ({@code is_delete}); the last write of a key wins.
 *   <li>A metadata write replaces the key's metadata with the given entries (sorted by name); an empty map
 *       deletes it.
 *   <li>Range scans ({@link RangeIterator}) record {@code RangeQueryInfo} with raw reads when closed. Fabric
 *       summarises more than 50 reads as a Merkle tree; Banyan always records raw reads.
 *   <li>Paginated scans are for read-only transactions: a paginated scan after a write, or a write after a
 *       paginated scan, fails with Fabric's message.
 *   <li>{@link #results()} closes open scans and builds the set: namespaces sorted, and within each the reads,
 *       writes and metadata writes sorted by key (UTF-8 byte order, as Go sorts strings); range queries in the
 *       order they were closed, a repeated (start, end, exhausted) once.
 * </ul>
 *
 * <p>Not thread-safe: a chaincode handler serves one transaction's requests in order.
 */
public final class TxSimulator {
    /** The most keys one transaction may read, write and scan, counted together; bounds its memory. */
    public static final int KEYS_MAX = 1_000_000;

    private final String txId;
    private final CommittedState state;
    private final Map<String, Namespace> namespaces = new TreeMap<>(Utf8.ORDER);
    private final LinkedHashSet<RangeIterator> openScans = new LinkedHashSet<>();
    private int keysTouched;
    private boolean writePerformed;
    private boolean paginatedQueryPerformed;
    private boolean done;

    /**
     * @param txId the transaction simulated, for error messages
     * @param state the committed state read
     */
    public TxSimulator(String txId, CommittedState state) {
        this.txId = txId;
        this.state = state;
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

    /** Writes a key; an empty value deletes it, as in Fabric. */
    public void putState(String namespace, String key, ByteString value) {
        checkWrite(namespace, key);
        KVWrite.Builder write = KVWrite.newBuilder().setKey(key);
        if (value.isEmpty()) {
            write.setIsDelete(true);
        } else {
            write.setValue(value);
        }
        namespace(namespace).writes.put(key, write.build());
    }

    /** Deletes a key. */
    public void deleteState(String namespace, String key) {
        putState(namespace, key, ByteString.EMPTY);
    }

    /** Replaces a key's metadata (for example {@code VALIDATION_PARAMETER}); an empty map deletes it. */
    public void setStateMetadata(String namespace, String key, Map<String, ByteString> metadata) {
        checkWrite(namespace, key);
        KVMetadataWrite.Builder write = KVMetadataWrite.newBuilder().setKey(key);
        new TreeMap<>(metadata).forEach((name, value) ->
                write.addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(value)));
        namespace(namespace).metadataWrites.put(key, write.build());
    }

    /** Scans {@code [startKey, endKey)} (empty end: unbounded); close the iterator, or {@link #results()} will. */
    public RangeIterator rangeScan(String namespace, String startKey, String endKey) {
        return openScan(namespace, startKey, endKey, Integer.MAX_VALUE);
    }

    /**
     * Scans at most {@code pageSize} keys of {@code [startKey, endKey)} for a read-only transaction; the
     * iterator's {@link RangeIterator#bookmark()} starts the next page (pass it as {@code startKey}).
     *
     * @throws SimulationException when the transaction has written
     */
    public RangeIterator rangeScanWithPagination(String namespace, String startKey, String endKey, int pageSize) {
        checkNotDone();
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize=" + pageSize + " must be positive");
        }
        if (writePerformed) {
            throw new SimulationException("txid [" + txId + "]: unsuppored transaction. Paginated queries are"
                    + " supported only in a read-only transaction");
        }
        paginatedQueryPerformed = true;
        return openScan(namespace, startKey, endKey, pageSize);
    }

    /** Whether the transaction wrote any key or metadata. */
    public boolean hasWrites() {
        return writePerformed;
    }

    /**
     * Ends the simulation: closes open scans and returns the read/write set. Later calls of any method but this
     * one throw.
     */
    public TxReadWriteSet results() {
        if (!done) {
            for (RangeIterator scan : List.copyOf(openScans)) {
                scan.close();
            }
            done = true;
        }
        TxReadWriteSet.Builder set = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        namespaces.forEach((name, ns) -> set.addNsRwset(NsReadWriteSet.newBuilder()
                .setNamespace(name).setRwset(ns.build().toByteString())));
        return set.build();
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

    void rangeQueryClosed(RangeIterator scan, String namespace, RangeQueryInfo info) {
        openScans.remove(scan);
        keysTouched(info.getRawReads().getKvReadsCount());
        namespace(namespace).rangeQueries.putIfAbsent(
                new RangeKey(info.getStartKey(), info.getEndKey(), info.getItrExhausted()), info);
    }

    private Optional<VersionedValue> getVersioned(String namespace, String key) {
        checkNotDone();
        checkKey(namespace, key);
        Optional<VersionedValue> value = state.get(namespace, key);
        Namespace ns = namespace(namespace);
        if (!ns.reads.containsKey(key)) {
            keysTouched(1);
        }
        ns.reads.put(key, read(key, value));
        return value;
    }

    private RangeIterator openScan(String namespace, String startKey, String endKey, int resultsMax) {
        checkNotDone();
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(startKey, "startKey");
        Utf8.check(endKey, "endKey");
        RangeIterator scan = new RangeIterator(this, namespace, startKey, endKey, resultsMax);
        openScans.add(scan);
        return scan;
    }

    private void checkWrite(String namespace, String key) {
        checkNotDone();
        checkKey(namespace, key);
        if (paginatedQueryPerformed) {
            throw new SimulationException("txid [" + txId + "]: unsuppored transaction. Transaction has already"
                    + " performed a paginated query. Writes are not allowed");
        }
        writePerformed = true;
        keysTouched(1);
    }

    private void checkNotDone() {
        if (done) {
            throw new SimulationException("txid [" + txId + "]: simulation is complete");
        }
    }

    private static void checkKey(String namespace, String key) {
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.checkNonEmpty(key, "key");
    }

    private void keysTouched(int count) {
        keysTouched += count;
        if (keysTouched > KEYS_MAX) {
            throw new SimulationException("txid [" + txId + "]: transaction touches more than " + KEYS_MAX + " keys");
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
