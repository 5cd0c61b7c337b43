package org.banyan.node.chaincode;

import org.banyan.ledger.simulation.TxSimulator;

/**
 * Which registered chaincode process runs a chaincode a transaction calls, as Fabric's lifecycle answers it: the
 * package an organisation approved and installed for the committed definition. Asked for every
 * chaincode-to-chaincode call (the client's own call is resolved by the endorser, which also needs the version
 * and the init rule); it may read through the transaction's simulator, so what it read is validated with the
 * transaction (Fabric records the definition's sequence that way).
 */
@FunctionalInterface
public interface ChaincodeResolver {
    /** Processes registered under the chaincode's name (development mode: no lifecycle). */
    ChaincodeResolver BY_NAME = (channelId, chaincodeName, simulator) -> chaincodeName;

    /**
     * The ID the process that runs {@code chaincodeName} registered with (a package ID, or the name in
     * development mode).
     *
     * @throws ChaincodeExecutionException with the reason (Fabric's words) when it cannot run here
     */
    String registeredId(String channelId, String chaincodeName, TxSimulator simulator);
}
