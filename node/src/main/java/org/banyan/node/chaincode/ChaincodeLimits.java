package org.banyan.node.chaincode;

import java.time.Duration;

/**
 * Bounds of the chaincode runtime. Past each, the runtime refuses with a clear error rather than queue or wait
 * without end; {@link #defaults()} gives the documented defaults (see {@code docs/chaincode.md}).
 *
 * @param executeTimeout how long one top-level {@link ChaincodeRuntime#execute} may take, chaincode-to-chaincode
 *     invocations included: they share its deadline (Fabric's {@code chaincode.executetimeout}, 30 s by default;
 *     Fabric restarts the clock for each nested invocation, Banyan does not)
 * @param requestsInFlightMax requests one chaincode stream may have being served at once; past it a request is
 *     answered {@code ERROR} (1 024)
 * @param invocationDepthMax how deep chaincode-to-chaincode invocations nest (8)
 * @param queryBatchSizeMax results per {@code QueryResponse} of an unpaginated query (Fabric's 100)
 * @param totalQueryLimit results one query returns at most (Fabric's {@code ledger.state.totalQueryLimit},
 *     100 000)
 * @param queryCursorsPerTransactionMax query iterators (range, history) one chaincode may hold open in one
 *     transaction; opening one more is answered {@code ERROR} (100; Fabric has no bound)
 * @param streamsUnregisteredMax chaincode streams connected but not yet registered; a stream past it is ended
 *     at once with {@code ERROR} (16)
 * @param registerTimeout how long a connected stream may take to send {@code REGISTER} before it is ended (10 s)
 * @param sendTimeout how long a message to a chaincode waits for the chaincode to read its stream (gRPC flow
 *     control) before the stream is ended as stuck (10 s)
 */
public record ChaincodeLimits(Duration executeTimeout, int requestsInFlightMax, int invocationDepthMax,
                              int queryBatchSizeMax, int totalQueryLimit, int queryCursorsPerTransactionMax,
                              int streamsUnregisteredMax, Duration registerTimeout, Duration sendTimeout) {
    public ChaincodeLimits {
        if (!positive(executeTimeout) || !positive(registerTimeout) || !positive(sendTimeout)
                || requestsInFlightMax < 1 || invocationDepthMax < 1 || queryBatchSizeMax < 1 || totalQueryLimit < 1
                || queryCursorsPerTransactionMax < 1 || streamsUnregisteredMax < 1) {
            throw new IllegalArgumentException("chaincode limits must be positive: executeTimeout=" + executeTimeout
                    + ", requestsInFlightMax=" + requestsInFlightMax + ", invocationDepthMax=" + invocationDepthMax
                    + ", queryBatchSizeMax=" + queryBatchSizeMax + ", totalQueryLimit=" + totalQueryLimit
                    + ", queryCursorsPerTransactionMax=" + queryCursorsPerTransactionMax
                    + ", streamsUnregisteredMax=" + streamsUnregisteredMax + ", registerTimeout=" + registerTimeout
                    + ", sendTimeout=" + sendTimeout);
        }
    }

    /** The defaults: Fabric's where Fabric has the limit. */
    public static ChaincodeLimits defaults() {
        return new ChaincodeLimits(Duration.ofSeconds(30), 1_024, 8, 100, 100_000, 100, 16,
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /** The same limits with another execute timeout. */
    public ChaincodeLimits withExecuteTimeout(Duration timeout) {
        return new ChaincodeLimits(timeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax,
                totalQueryLimit, queryCursorsPerTransactionMax, streamsUnregisteredMax, registerTimeout, sendTimeout);
    }

    /** The same limits with another total query limit. */
    public ChaincodeLimits withTotalQueryLimit(int limit) {
        return new ChaincodeLimits(executeTimeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax,
                limit, queryCursorsPerTransactionMax, streamsUnregisteredMax, registerTimeout, sendTimeout);
    }

    /** The same limits with another bound on open query iterators per transaction. */
    public ChaincodeLimits withQueryCursorsPerTransactionMax(int max) {
        return new ChaincodeLimits(executeTimeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax,
                totalQueryLimit, max, streamsUnregisteredMax, registerTimeout, sendTimeout);
    }

    /** The same limits with other bounds on streams that have not registered. */
    public ChaincodeLimits withUnregisteredStreams(int max, Duration timeout) {
        return new ChaincodeLimits(executeTimeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax,
                totalQueryLimit, queryCursorsPerTransactionMax, max, timeout, sendTimeout);
    }

    /** The same limits with another send timeout. */
    public ChaincodeLimits withSendTimeout(Duration timeout) {
        return new ChaincodeLimits(executeTimeout, requestsInFlightMax, invocationDepthMax, queryBatchSizeMax,
                totalQueryLimit, queryCursorsPerTransactionMax, streamsUnregisteredMax, registerTimeout, timeout);
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
