package org.banyan.node.chaincode;

/**
 * Brings up the process of a package that is not registered when a transaction needs it, as Fabric's
 * {@code Launcher} does before {@code Execute}: the node's launcher starts it, dials it, or waits for a start in
 * progress. {@link ChaincodeRuntime} asks it only for an ID with no ready process.
 */
@FunctionalInterface
public interface ChaincodeStarter {
    /** Starts nothing: a process not registered is not running. */
    ChaincodeStarter NONE = (registeredId, waitNanosMax) -> { };

    /**
     * Returns once the process for {@code registeredId} registered, or at once when this starter does not run
     * that ID (the runtime then reports that no process is registered). Blocks the calling thread at most
     * {@code waitNanosMax} and the starter's own start timeout.
     *
     * @throws ChaincodeExecutionException why the chaincode is not running, Fabric's {@code could not launch
     *     chaincode P: ...} (e.g. {@code timeout expired while starting chaincode P for transaction})
     */
    void awaitStarted(String registeredId, long waitNanosMax);
}
