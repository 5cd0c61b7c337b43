package org.banyan.ledger;

import java.util.ArrayList;
import java.util.List;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The read/write sets of a block's VALID transactions, in transaction order: everything that changes state
 * and history. Transactions with any other code (for example MVCC_READ_CONFLICT) contribute nothing, as in
 * Fabric's committer.
 *
 * @param txIndex position of the transaction in the block
 */
record ValidWrites(int txIndex, String namespace, KVRWSet rwSet) {

    static List<ValidWrites> of(Block block) {
        long number = block.getHeader().getNumber();
        int count = block.getData().getDataCount();
        List<ValidWrites> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (Blocks.validationCode(block, i) != TxValidationCode.VALID) {
                continue;
            }
            ParsedTransaction tx;
            try {
                tx = TransactionParser.parse(Blocks.envelope(block, i));
            } catch (MalformedTransactionException e) {
                throw new InvalidBlockException(number, "transaction " + i + " is marked VALID but malformed", e);
            }
            for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
                writes.add(new ValidWrites(i, ns.namespace(), ns.rwSet()));
            }
        }
        return writes;
    }

    /** How many transactions of the block are VALID. */
    static int validCount(Block block) {
        int valid = 0;
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (Blocks.validationCode(block, i) == TxValidationCode.VALID) {
                valid++;
            }
        }
        return valid;
    }
}
