package org.banyan.node.chaincode;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * How an execution ends, in Fabric's words, for every way of running chaincode (the chaincode runtime's streams and
 * the in-process runner): the result built from the chaincode's answer (Fabric's
 * {@code processChaincodeExecutionResult}) and the {@link ChaincodeExecutionException} messages when there is none.
 * The table in docs/chaincode.md lists them with their Fabric sources.
 */
public final class ChaincodeAnswers {
    /** Fabric's {@code ErrorExecutionTimeout}. */
    public static final String TIMEOUT = ChaincodeRuntime.TIMEOUT;
    /** Fabric's {@code ErrorStreamTerminated}. */
    public static final String STREAM_TERMINATED = ChaincodeHandler.STREAM_TERMINATED;

    private ChaincodeAnswers() {}

    /**
     * The ID a chaincode runs under, {@code name[:version]} (Fabric's development-mode chaincode ID, or a package ID
     * {@code label:hash}), as the {@code ChaincodeID{name, version}} a result reports.
     *
     * @throws IllegalArgumentException with Fabric's registration message when it is not {@code name[:version]}
     */
    public static ChaincodeID chaincodeId(String registeredId) {
        ChaincodeName name = ChaincodeName.parse(registeredId);
        if (name.name().isEmpty() || !name.channel().isEmpty()) {
            throw new IllegalArgumentException("error in handling register chaincode, chaincodeID name is "
                    + (registeredId.isEmpty() ? "empty" : "not name[:version]: " + registeredId));
        }
        return ChaincodeID.newBuilder().setName(name.name()).setVersion(name.version()).build();
    }

    /** The chaincode answered {@code COMPLETED}: its response, its event with Fabric's IDs, the read/write set. */
    public static ChaincodeResult completed(ChaincodeID chaincodeId, String chaincodeName, String txId,
            Response response, Optional<ChaincodeEvent> event, TxSimulator simulator) {
        Optional<ChaincodeEvent> named = event.map(e -> e.toBuilder().setChaincodeId(chaincodeName).setTxId(txId)
                .build());
        return new ChaincodeResult(chaincodeId, response, named, simulator.results());
    }

    /** The chaincode answered {@code ERROR} with this text: {@code transaction returned with failure: ...}. */
    public static ChaincodeExecutionException failed(String text) {
        return new ChaincodeExecutionException("transaction returned with failure: " + text);
    }

    /** Fabric's {@code processChaincodeExecutionResult} for the {@code COMPLETED} or {@code ERROR} message. */
    static ChaincodeResult result(ChaincodeID chaincodeId, String chaincodeName, String txId,
            ChaincodeMessage answer, TxSimulator simulator) {
        switch (answer.getType()) {
            case COMPLETED -> {
                Response response;
                try {
                    response = Response.parseFrom(answer.getPayload());
                } catch (InvalidProtocolBufferException e) {
                    throw new ChaincodeExecutionException("failed to unmarshal response for transaction " + txId
                            + ": " + e.getMessage());
                }
                return completed(chaincodeId, chaincodeName, txId, response,
                        answer.hasChaincodeEvent() ? Optional.of(answer.getChaincodeEvent()) : Optional.empty(),
                        simulator);
            }
            case ERROR -> throw failed(answer.getPayload().toStringUtf8());
            default -> throw new ChaincodeExecutionException("unexpected response type " + answer.getType()
                    + " for transaction " + txId);
        }
    }

    /** The channel is not hosted here. */
    public static ChaincodeExecutionException noLedger(String channelId) {
        return new ChaincodeExecutionException("failed to find ledger for channel: " + channelId);
    }

    /**
     * Nothing runs the chaincode. In development mode (registered under its name) Fabric's client sees that the
     * chaincode is not defined; a package lifecycle chose but that does not run (it crashed, or was never started)
     * could not be launched.
     */
    public static ChaincodeExecutionException notRunning(String chaincodeName, String registeredId,
            String channelId) {
        return registeredId.equals(chaincodeName)
                ? new ChaincodeExecutionException("make sure the chaincode " + chaincodeName
                        + " has been successfully defined on channel " + channelId + " and try again: chaincode "
                        + chaincodeName + " not found")
                : new ChaincodeExecutionException("could not launch chaincode " + registeredId
                        + ": no chaincode process is registered with this ID");
    }

    /** A transaction with the same channel and ID is already running on the chaincode (Fabric's registerTxid). */
    public static ChaincodeExecutionException alreadyRunning(TransactionContext context) {
        return new ChaincodeExecutionException("txid: " + context.txId() + "(" + context.channelId() + ") exists");
    }

    /** The chaincode gave no answer: Fabric's {@code ChaincodeSupport.execute} wraps why. */
    public static ChaincodeExecutionException errorSending(ChaincodeExecutionException why) {
        return new ChaincodeExecutionException("error sending: " + why.getMessage());
    }

    /** A top-level execution gave no answer: Fabric's {@code processChaincodeExecutionResult} wraps why. */
    public static ChaincodeExecutionException failedToExecute(String txId, ChaincodeExecutionException why) {
        return new ChaincodeExecutionException("failed to execute transaction " + txId + ": " + why.getMessage());
    }
}
