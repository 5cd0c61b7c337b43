package org.banyan.ledger;

import java.util.Optional;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateStore;
import org.banyan.ledger.state.VersionedValue;

/**
 * The committed world state that simulation ({@code TxSimulator}) and validation ({@code CommittedLedger}) read: a
 * key's value and version, and pages of a range.
 * Reads are not one snapshot — a block may commit between two reads of one simulation — so a simulation that
 * straddles a commit may read two versions; the version check at commit (MVCC, phantom reads) invalidates
 * such a transaction, as it does any stale read.
 */
public interface CommittedState extends StateReader {
    /** The key's committed value, version and metadata, or empty when it does not exist. */
    @Override
    Optional<VersionedValue> get(String namespace, String key);

    /** A page of {@code [startKey, endKey)} after {@code bookmark}; see {@link StateStore#range}. */
    StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark);

    /** The committed state of a channel's ledger. */
    static CommittedState of(ChannelLedger ledger) {
        return new CommittedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                return ledger.state(namespace, key);
            }

            @Override
            public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
                return ledger.range(namespace, startKey, endKey, pageSizeMax, bookmark);
            }
        };
    }

    /** The state of a store (tests, tools). */
    static CommittedState of(StateStore store) {
        return new CommittedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                return store.get(namespace, key);
            }

            @Override
            public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
                return store.range(namespace, startKey, endKey, pageSizeMax, bookmark);
            }
        };
    }
}
