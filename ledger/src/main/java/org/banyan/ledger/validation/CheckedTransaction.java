package org.banyan.ledger.validation;

import java.util.List;
import java.util.Set;
import org.banyan.protocol.ParsedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One transaction after the checks that need no other transaction of the block (steps 1–4 of
 * {@code docs/validation.md}).
 *
 * @param txId the transaction ID, empty when the envelope did not parse
 * @param rwSets the read/write sets, empty when the transaction did not parse
 * @param metadataWrites keys whose metadata (key-level endorsement policy) the transaction writes
 * @param endorsedKeys keys whose endorsement was checked against the committed key-level policy: invalid if a
 *     valid earlier transaction in the block changes that policy
 */
record CheckedTransaction(int index, TxValidationCode code, String reason, String txId,
                          List<ParsedTransaction.NamespaceRwSet> rwSets, Set<StateKey> metadataWrites,
                          Set<StateKey> endorsedKeys) {

    static CheckedTransaction invalid(int index, TxValidationCode code, String reason, String txId) {
        return new CheckedTransaction(index, code, reason, txId, List.of(), Set.of(), Set.of());
    }

    boolean valid() {
        return code == TxValidationCode.VALID;
    }

    CheckedTransaction withCode(TxValidationCode newCode, String newReason) {
        return new CheckedTransaction(index, newCode, newReason, txId, rwSets, metadataWrites, endorsedKeys);
    }
}
