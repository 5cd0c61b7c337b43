package org.banyan.node.chaincode.inprocess;

import java.util.Optional;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.node.chaincode.TransactionContext;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The node's side of a chaincode-to-chaincode call from in-process chaincode to a chaincode not loaded in-process
 * (a chaincode process on the node's chaincode runtime): the callback through which the node runs it in the same
 * transaction.
 */
@FunctionalInterface
public interface NestedChaincodes {
    /** No other chaincode runs here: every callee not loaded in-process is not found. */
    NestedChaincodes NONE = call -> Optional.empty();

    /**
     * Runs the callee within the caller's deadline, over the caller's simulator, in the callee's namespace.
     *
     * @return the callee's answer as Fabric's handler passes it to the caller ({@code COMPLETED} with a
     *     {@code Response} payload, or {@code ERROR} with its text); empty when nothing runs {@code registeredId}
     * @throws org.banyan.node.chaincode.ChaincodeExecutionException when the callee gave no answer (Fabric's
     *     {@code error sending: ...})
     */
    Optional<ChaincodeMessage> invoke(Call call);

    /**
     * One call.
     *
     * @param registeredId what runs the callee ({@code org.banyan.node.chaincode.ChaincodeResolver})
     * @param chaincodeName the callee, its namespace
     * @param depth the callee's nesting depth (1 for a chaincode the client's chaincode called)
     * @param deadlineNanos the top-level execution's deadline ({@link System#nanoTime()})
     */
    record Call(String registeredId, String chaincodeName, ChaincodeInput input, TransactionContext context,
                TxSimulator simulator, int depth, long deadlineNanos) {}
}
