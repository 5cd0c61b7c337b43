package org.banyan.node.chaincode.inprocess.port;

/**
 * A chaincode loaded in its own class loader, as the node runs it: one call per transaction, on the thread that
 * runs the transaction. Implemented on the shim side.
 */
public interface PortChaincode {
    /**
     * Runs the chaincode's {@code init} (the transaction is an init) or {@code invoke} with a stub over the
     * transaction, as Fabric's shim does for {@code INIT}/{@code TRANSACTION}.
     *
     * @return what the shim would send back: {@code COMPLETED} or {@code ERROR}
     * @throws Error what the chaincode threw: Fabric's shim sends nothing then (the execution runs into its
     *     deadline)
     */
    PortAnswer execute(PortTransaction transaction);
}
