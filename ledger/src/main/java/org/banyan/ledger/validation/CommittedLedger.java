package org.banyan.ledger.validation;

import java.util.Optional;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.VersionedValue;

/**
 * What validation reads from the committed ledger: state as of the block before the one validated, and the
 * transaction IDs already on the ledger. Implementations must allow concurrent reads (signature and policy
 * checks read key-level endorsement policies from several threads) and must not change while a block is
 * validated: the caller validates block {@code n} after block {@code n - 1} is committed and before it
 * commits block {@code n}.
 */
public interface CommittedLedger extends CommittedState {
    /** Number of committed blocks: the block validated is number {@code height()}. */
    long height();

    /** True when a transaction with this ID is on the ledger, whatever its validation code (Fabric's {@code TxIDExists}). */
    boolean containsTxId(String txId);

    /** Reads from a channel ledger. */
    static CommittedLedger of(ChannelLedger ledger) {
        return new CommittedLedger() {
            @Override
            public long height() {
                return ledger.height();
            }

            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                return ledger.state(namespace, key);
            }

            @Override
            public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
                return ledger.range(namespace, startKey, endKey, pageSizeMax, bookmark);
            }

            @Override
            public boolean containsTxId(String txId) {
                return ledger.containsTransaction(txId);
            }
        };
    }
}
