package org.banyan.node.chaincode;

import java.time.Duration;

/**
 * Bounds of the chaincode runtime.
 *
 * @param executeTimeout how long {@link ChaincodeRuntime#execute} waits for the chaincode's answer (Fabric's
 *     {@code chaincode.executetimeout}, 30 s by default)
 * @param requestsInFlightMax requests one chaincode stream may have outstanding; past it a request is answered
 *     with {@code ERROR}
 * @param invocationDepthMax how deep chaincode-to-chaincode invocations nest
 * @param queryBatchSizeMax results per {@code QueryResponse} of an unpaginated query (Fabric's 100)
 * @param totalQueryLimit results one query returns at most (Fabric's {@code ledger.state.totalQueryLimit})
 */
public record ChaincodeLimits(Duration executeTimeout, int requestsInFlightMax, int invocationDepthMax,
                              int queryBatchSizeMax, int totalQueryLimit) {
    public ChaincodeLimits {
        if (executeTimeout.isNegative() || executeTimeout.isZero() || requestsInFlightMax < 1
                || invocationDepthMax < 1 || queryBatchSizeMax < 1 || totalQueryLimit < 1) {
            throw new IllegalArgumentException("chaincode limits must be positive: " + executeTimeout + ", "
                    + requestsInFlightMax + ", " + invocationDepthMax + ", " + queryBatchSizeMax + ", " + totalQueryLimit);
        }
    }

    /** Fabric's defaults. */
    public static ChaincodeLimits defaults() {
        return new ChaincodeLimits(Duration.ofSeconds(30), 1_024, 8, 100, 100_000);
    }

    /** The same limits with another execute timeout. */
    public ChaincodeLimits withExecuteTimeout(Duration timeout) {
        return new ChaincodeLimits(timeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax, totalQueryLimit);
    }
}
