package org.banyan.node.chaincode;

import org.hyperledger.fabric.protos.peer.ChaincodeSpec;

/**
 * The chaincode an {@code INVOKE_CHAINCODE} request calls, checked and resolved as Fabric's
 * {@code HandleInvokeChaincode} does, with Fabric's {@code execute failed: ...} messages; shared by the chaincode
 * runtime and the in-process runner.
 *
 * @param channelId the callee's channel, the caller's
 * @param name the callee's name, its namespace (a version in the request is ignored: the current one runs)
 * @param registeredId the process or package that runs it ({@link ChaincodeResolver})
 */
record NestedCallee(String channelId, String name, String registeredId) {
    /**
     * Parses {@code name[:version][/channel]}, refuses another channel and nesting past
     * {@link ChaincodeLimits#invocationDepthMax()}, then asks the resolver.
     *
     * @param checkOpen throws when the runtime is closed (checked before resolving, as the runtime always has)
     * @throws ChaincodeExecutionException with Fabric's message
     */
    static NestedCallee resolve(Invocation caller, ChaincodeSpec spec, ChaincodeLimits limits,
            ChaincodeResolver resolver, Runnable checkOpen) {
        ChaincodeName target = ChaincodeName.parse(spec.getChaincodeId().getName());
        String channel = target.channel().isEmpty() ? caller.context().channelId() : target.channel();
        if (!channel.equals(caller.context().channelId())) {
            throw new ChaincodeExecutionException("execute failed: invoking chaincode " + target.name()
                    + " on another channel (" + channel + ") is not supported");
        }
        if (caller.depth() + 1 > limits.invocationDepthMax()) {
            throw new ChaincodeExecutionException("execute failed: chaincode invocations nest deeper than "
                    + limits.invocationDepthMax());
        }
        checkOpen.run();
        try {
            return new NestedCallee(channel, target.name(),
                    resolver.registeredId(channel, target.name(), caller.simulator()));
        } catch (ChaincodeExecutionException e) {
            throw containerInfo(channel, target.name(), e.getMessage());
        }
    }

    /** Nothing runs {@link #registeredId} here. */
    ChaincodeExecutionException notFound() {
        return containerInfo(channelId, name, "chaincode " + name + " not found");
    }

    /** The callee gave no answer (Fabric's {@code error sending: ...}). */
    static ChaincodeExecutionException failed(ChaincodeExecutionException e) {
        return new ChaincodeExecutionException("execute failed: " + e.getMessage());
    }

    private static ChaincodeExecutionException containerInfo(String channel, String name, String why) {
        return new ChaincodeExecutionException("execute failed: invalid invocation: [channel " + channel
                + "] failed to get chaincode container info for " + name + ": " + why);
    }
}
