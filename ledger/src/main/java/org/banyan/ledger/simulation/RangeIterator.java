package org.banyan.ledger.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.banyan.crypto.Assert;
import org.banyan.ledger.state.StatePage;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

/**
 * A range scan of committed state inside a {@link TxSimulator}: keys in {@code [startKey, endKey)} (an empty
 * {@code endKey} is unbounded) in UTF-8 byte order, read lazily page by page. Each key returned is recorded as
 * a raw read with its version; the scan is recorded as Fabric's {@code RangeQueryInfo} — {@code end_key} is the
 * last key returned, or the query's end key with {@code itr_exhausted} when the scan ran off the end — so commit
 * can detect phantoms. It is recorded from the moment it is opened, whatever happens to it later: closed early,
 * stopped by a limit, or left open (the simulator's {@link TxSimulator#results()} closes it), as Fabric records
 * every iterator a simulation created.
 *
 * <p>Thread-safe through the simulator's lock.
 */
public final class RangeIterator implements AutoCloseable {
    /** Keys read from the store per page. */
    static final int STORE_PAGE_SIZE = 1_000;

    private final TxSimulator simulator;
    private final String namespace;
    private final String startKey;
    private final String endKey;
    /** How many keys this scan returns at most: the page size of a paginated query, else unlimited. */
    private final int resultsMax;
    private final ArrayDeque<StatePage.Entry> buffer = new ArrayDeque<>();
    private final List<KVRead> rawReads = new ArrayList<>();
    private String storeBookmark = "";
    private boolean storeExhausted;
    private int returned;
    private String lastKey = "";
    private boolean exhausted;
    /** Set when closed: what the read/write set records. */
    private RangeQueryInfo info;

    RangeIterator(TxSimulator simulator, String namespace, String startKey, String endKey, int resultsMax) {
        Assert.that(resultsMax > 0, "resultsMax=%d", resultsMax);
        this.simulator = simulator;
        this.namespace = namespace;
        this.startKey = startKey;
        this.endKey = endKey;
        this.resultsMax = resultsMax;
    }

    /** The namespace scanned. */
    public String namespace() {
        return namespace;
    }

    /**
     * The next key and its committed value, or empty at the end of the range (or of the page, for a paginated
     * scan).
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws SimulationException when the transaction's keys limit is reached; the scan stays recorded with the
     *     keys returned so far
     */
    public Optional<StatePage.Entry> next() {
        simulator.lock().lock();
        try {
            if (info != null) {
                throw new IllegalStateException("range iterator over " + namespace + " is closed");
            }
            if (returned >= resultsMax || !fill()) {
                exhausted = true;
                return Optional.empty();
            }
            simulator.keysTouched(1);
            StatePage.Entry entry = buffer.poll();
            returned++;
            rawReads.add(TxSimulator.read(entry.key(), Optional.of(entry.value())));
            lastKey = entry.key();
            return Optional.of(entry);
        } finally {
            simulator.lock().unlock();
        }
    }

    /**
     * Fabric's bookmark for the next page: the first key not returned, or empty when the range holds no more.
     * Meaningful once a paginated scan has returned its page.
     */
    public String bookmark() {
        simulator.lock().lock();
        try {
            if (info != null) {
                return "";
            }
            return fill() ? buffer.peek().key() : "";
        } finally {
            simulator.lock().unlock();
        }
    }

    /** Whether the scan has returned all it will: {@link #next()} answered empty. */
    public boolean exhausted() {
        simulator.lock().lock();
        try {
            return exhausted;
        } finally {
            simulator.lock().unlock();
        }
    }

    /** Ends the scan; what it read so far is what the read/write set records. Closing twice does nothing. */
    @Override
    public void close() {
        simulator.lock().lock();
        try {
            closeHoldingLock();
        } finally {
            simulator.lock().unlock();
        }
    }

    void closeHoldingLock() {
        Assert.that(simulator.lock().isHeldByCurrentThread(), "closing a scan of %s without the lock", namespace);
        if (info != null) {
            return;
        }
        info = RangeQueryInfo.newBuilder()
                .setStartKey(startKey)
                .setEndKey(exhausted ? endKey : lastKey)
                .setItrExhausted(exhausted)
                .setRawReads(QueryReads.newBuilder().addAllKvReads(rawReads))
                .build();
        buffer.clear();
    }

    /** What the read/write set records; only after {@link #close()}. */
    RangeQueryInfo info() {
        Assert.that(info != null, "range scan of %s not closed", namespace);
        return info;
    }

    /** Makes sure the buffer holds the next key if there is one; false when the range has no more. */
    private boolean fill() {
        while (buffer.isEmpty() && !storeExhausted) {
            StatePage page = simulator.state().range(namespace, startKey, endKey, STORE_PAGE_SIZE, storeBookmark);
            buffer.addAll(page.entries());
            storeBookmark = page.bookmark();
            storeExhausted = storeBookmark.isEmpty();
        }
        return !buffer.isEmpty();
    }
}
