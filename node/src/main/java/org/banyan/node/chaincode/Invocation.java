package org.banyan.node.chaincode;

import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.simulation.TxSimulator;

/**
 * One chaincode's part in a transaction: the transaction's proposal, the chaincode (its namespace), the
 * simulator shared by every chaincode the transaction invokes on the channel, the nesting depth (0 for the
 * chaincode the client called) and the deadline of the whole top-level execution ({@link System#nanoTime()}
 * based), which nested invocations share.
 */
record Invocation(TransactionContext context, String chaincodeName, TxSimulator simulator, ChannelLedger ledger,
                  int depth, long deadlineNanos) {
    /** The same transaction calling another chaincode on the channel, within the same deadline. */
    Invocation nested(String calledChaincode) {
        return new Invocation(context, calledChaincode, simulator, ledger, depth + 1, deadlineNanos);
    }

    /** Nanoseconds left before the deadline; zero or less once it passed. */
    long nanosLeft() {
        return deadlineNanos - System.nanoTime();
    }
}
