package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.banyan.crypto.Assert;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.RangeIterator;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.VersionedValue;

/**
 * The keys of namespace {@value LifecycleNamespace#NAME} the serializer reads and writes: through a
 * {@link TxSimulator} (reads recorded with their versions, writes buffered into the read/write set, so MVCC at
 * commit protects every decision) or read-only over committed state (validation, queries outside a
 * transaction). {@link #scoped} narrows it to one organisation's approvals.
 */
interface LifecycleState {
    /** Keys one range read returns at most; more is refused, never silently cut. */
    int RANGE_KEYS_MAX = 100_000;

    Optional<ByteString> get(String key);

    void put(String key, ByteString value);

    void delete(String key);

    /** Keys in {@code [startKey, endKey)} in UTF-8 order, at most {@link #RANGE_KEYS_MAX}. */
    List<String> keys(String startKey, String endKey);

    /** Writes to this state go into the transaction's read/write set. */
    static LifecycleState of(TxSimulator simulator) {
        return new LifecycleState() {
            @Override
            public Optional<ByteString> get(String key) {
                return simulator.getState(LifecycleNamespace.NAME, key);
            }

            @Override
            public void put(String key, ByteString value) {
                simulator.putState(LifecycleNamespace.NAME, key, value);
            }

            @Override
            public void delete(String key) {
                simulator.deleteState(LifecycleNamespace.NAME, key);
            }

            @Override
            public List<String> keys(String startKey, String endKey) {
                List<String> keys = new ArrayList<>();
                try (RangeIterator scan = simulator.rangeScan(LifecycleNamespace.NAME, startKey, endKey)) {
                    for (Optional<StatePage.Entry> next = scan.next(); next.isPresent(); next = scan.next()) {
                        checkRange(keys.size());
                        keys.add(next.get().key());
                    }
                }
                return keys;
            }
        };
    }

    /** Committed state, read-only: a write is a bug. */
    static LifecycleState readOnly(CommittedState state) {
        return new LifecycleState() {
            @Override
            public Optional<ByteString> get(String key) {
                return state.get(LifecycleNamespace.NAME, key).map(VersionedValue::value);
            }

            @Override
            public void put(String key, ByteString value) {
                throw new AssertionError("write of " + key + " to read-only lifecycle state");
            }

            @Override
            public void delete(String key) {
                throw new AssertionError("delete of " + key + " from read-only lifecycle state");
            }

            @Override
            public List<String> keys(String startKey, String endKey) {
                List<String> keys = new ArrayList<>();
                String bookmark = "";
                do {
                    StatePage page = state.range(LifecycleNamespace.NAME, startKey, endKey, 1_000, bookmark);
                    for (StatePage.Entry entry : page.entries()) {
                        checkRange(keys.size());
                        keys.add(entry.key());
                    }
                    bookmark = page.bookmark();
                } while (!bookmark.isEmpty());
                return keys;
            }
        };
    }

    /** This state with every key prefixed by {@code prefix} (an organisation's approvals). */
    default LifecycleState scoped(String prefix) {
        Assert.that(!prefix.isEmpty(), "empty scope prefix");
        LifecycleState outer = this;
        return new LifecycleState() {
            @Override
            public Optional<ByteString> get(String key) {
                return outer.get(prefix + key);
            }

            @Override
            public void put(String key, ByteString value) {
                outer.put(prefix + key, value);
            }

            @Override
            public void delete(String key) {
                outer.delete(prefix + key);
            }

            @Override
            public List<String> keys(String startKey, String endKey) {
                List<String> keys = new ArrayList<>();
                for (String key : outer.keys(prefix + startKey, endKey.isEmpty() ? "" : prefix + endKey)) {
                    if (key.startsWith(prefix)) {
                        keys.add(key.substring(prefix.length()));
                    }
                }
                return keys;
            }
        };
    }

    private static void checkRange(int keysSoFar) {
        if (keysSoFar >= RANGE_KEYS_MAX) {
            throw new LifecycleException("more than " + RANGE_KEYS_MAX + " lifecycle keys in one range");
        }
    }
}
