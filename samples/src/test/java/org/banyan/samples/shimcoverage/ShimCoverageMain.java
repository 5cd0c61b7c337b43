package org.banyan.samples.shimcoverage;

/**
 * Starts, in one JVM, the two chaincodes of the shim-coverage test, each on its own connection through Fabric's
 * shim: {@link ShimCoverageChaincode} as {@code shimcov:1.0} (Fabric's development-mode ID, name:version) and
 * {@link CalleeChaincode} as {@code callee}. {@code CORE_PEER_ADDRESS} and {@code CORE_PEER_TLS_ENABLED} come from
 * the environment, as for any chaincode.
 */
public final class ShimCoverageMain {
    private ShimCoverageMain() {}

    public static void main(String[] args) {
        new ShimCoverageChaincode().start(new String[] {"-i", "shimcov:1.0"});
        new CalleeChaincode().start(new String[] {"-i", "callee"});
    }
}
