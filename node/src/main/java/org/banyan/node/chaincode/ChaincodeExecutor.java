package org.banyan.node.chaincode;

import java.util.Optional;
import java.util.function.Function;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;

/**
 * Runs a chaincode already resolved to what runs it (a registered process, or a chaincode loaded in-process) over
 * the transaction's simulator, and ends the simulation. What an endorser calls.
 */
@FunctionalInterface
public interface ChaincodeExecutor {
    /**
     * @param chaincodeName the chaincode the client calls, its state namespace
     * @param registeredId what runs it ({@link ChaincodeResolver#registeredId}): a package ID, or a name
     * @throws ChaincodeExecutionException with Fabric's message when there is no chaincode response
     */
    ChaincodeResult execute(String chaincodeName, String registeredId, ChaincodeInput input,
            TransactionContext context, TxSimulator simulator);

    /**
     * Resolves {@code chaincodeName} over a fresh simulator of the channel's committed state, then runs it: a
     * transaction outside an endorser (tests, tools).
     *
     * @throws ChaincodeExecutionException for an unknown channel ({@code failed to find ledger for channel: X}),
     *     the resolver's refusal, or the execution's
     */
    static ChaincodeResult resolveAndExecute(ChaincodeExecutor executor, ChaincodeResolver resolver,
            Function<String, Optional<ChannelLedger>> ledgers, String chaincodeName, ChaincodeInput input,
            TransactionContext context) {
        ChannelLedger ledger = ledgers.apply(context.channelId()).orElseThrow(() ->
                ChaincodeAnswers.noLedger(context.channelId()));
        TxSimulator simulator = new TxSimulator(context.txId(), CommittedState.of(ledger));
        String registeredId;
        try {
            registeredId = resolver.registeredId(context.channelId(), chaincodeName, simulator);
        } catch (ChaincodeExecutionException e) {
            simulator.done();
            throw e;
        }
        return executor.execute(chaincodeName, registeredId, input, context, simulator);
    }
}
