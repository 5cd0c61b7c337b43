package org.banyan.node.chaincode;

import java.util.Objects;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The proposal a transaction executes for. The shim derives what the chaincode sees from it — creator,
 * timestamp, transient map and binding come from {@code signedProposal} — so they are not repeated here.
 *
 * @param channelId the channel whose state the transaction reads
 * @param txId the proposal's transaction ID
 * @param signedProposal the client's signed proposal, passed to the chaincode unchanged
 *     ({@code GetSignedProposal}); {@link SignedProposal#getDefaultInstance()} gives the chaincode no creator,
 *     timestamp, transient data or binding
 * @param init true to send {@code INIT} instead of {@code TRANSACTION} (Fabric's {@code --isInit})
 */
public record TransactionContext(String channelId, String txId, SignedProposal signedProposal, boolean init) {
    public TransactionContext {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(signedProposal, "signedProposal");
        if (channelId.isEmpty() || txId.isEmpty()) {
            throw new IllegalArgumentException("channelId and txId must not be empty");
        }
    }

    /** A transaction (not an init) for the proposal. */
    public static TransactionContext of(String channelId, String txId, SignedProposal signedProposal) {
        return new TransactionContext(channelId, txId, signedProposal, false);
    }
}
