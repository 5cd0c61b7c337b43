package org.banyan.node.chaincode.launch;

/**
 * What the node does about one installed package, for operators ({@code /status}) and tests.
 *
 * @param packageId the package ID, which its chaincode registers with
 * @param mode how it runs
 * @param state {@code PREPARING} (reading the package), {@code STARTING} (launched or dialled, not registered
 *     yet), {@code RUNNING} (registered), {@code BACKOFF} (down, restarting or redialling after a wait),
 *     {@code GAVE_UP} (a process that exited too often; not restarted until the node restarts), {@code STOPPED}
 *     (node shutting down), {@code NOT_RUN} (the node does not run this package: {@code detail} says why)
 * @param registered whether a chaincode is registered with the package ID now (also one its operator started)
 * @param detail why it is down or not run, empty when running
 * @param pid the launched process's ID, -1 when there is none
 * @param address the chaincode server dialled ({@code CHAINCODE_SERVER} only), else empty
 * @param restarts restarts (or redials) since the node started
 * @param startMillis how long the last start took, from launching the process (or dialling) to the chaincode's
 *     registration; -1 before it first registered
 * @param log the process's log file ({@code JAVA_PROCESS} only), else empty
 */
public record ChaincodeStatus(String packageId, Mode mode, String state, boolean registered, String detail,
                              long pid, String address,
                              int restarts, long startMillis, String log) {
    /** How the node runs a package. */
    public enum Mode {
        /** A prebuilt Java package the node launches as a child JVM and supervises. */
        JAVA_PROCESS,
        /** A {@code ccaas} package: the node dials the chaincode server its {@code connection.json} names. */
        CHAINCODE_SERVER,
        /** A prebuilt Java package loaded into the node's JVM ({@code javaInProcess}). */
        IN_PROCESS,
        /** The node does not run it (yet: still reading it, or never: its operator runs it). */
        NONE
    }
}
