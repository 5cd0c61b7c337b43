package org.banyan.node.chaincode;

import java.util.Optional;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * What one execution produced.
 *
 * @param chaincodeId the chaincode that ran, name and version, for the proposal response's
 *     {@code ChaincodeAction.chaincode_id} (Fabric's endorser records the definition's name and version there);
 *     the version is the one the process registered with ({@code CORE_CHAINCODE_ID_NAME=name:version}, Fabric's
 *     development-mode form), empty when it registered a bare name
 * @param response the chaincode's response: status (200 OK; 400+ an error, for example 500 with the message of a
 *     refused transaction), message and payload
 * @param event the chaincode event it set, with Fabric's {@code chaincode_id} (the chaincode name) and
 *     {@code tx_id} filled in
 * @param readWriteSet the simulation's read/write set, over every namespace the transaction touched (including
 *     chaincodes it invoked on the same channel)
 */
public record ChaincodeResult(ChaincodeID chaincodeId, Response response, Optional<ChaincodeEvent> event,
                              TxReadWriteSet readWriteSet) {
    /**
     * A result of chaincode run without a registered process (a system chaincode such as {@code _lifecycle}): no
     * chaincode ID, the caller records its own.
     */
    public ChaincodeResult(Response response, Optional<ChaincodeEvent> event, TxReadWriteSet readWriteSet) {
        this(ChaincodeID.getDefaultInstance(), response, event, readWriteSet);
    }

    /** True when the chaincode answered with a status below 400, as Fabric's endorser counts success. */
    public boolean ok() {
        return response.getStatus() < 400;
    }
}
