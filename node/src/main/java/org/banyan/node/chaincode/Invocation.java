package org.banyan.node.chaincode;

import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.simulation.TxSimulator;

/**
 * One chaincode's part in a transaction: the transaction's proposal, the chaincode (its namespace), the
 * simulator shared by every chaincode the transaction invokes on the channel, and the nesting depth (0 for the
 * chaincode the client called).
 */
record Invocation(TransactionContext context, String chaincodeName, TxSimulator simulator, ChannelLedger ledger,
                  int depth) {
    /** The same transaction calling another chaincode on the channel. */
    Invocation nested(String calledChaincode) {
        return new Invocation(context, calledChaincode, simulator, ledger, depth + 1);
    }
}
