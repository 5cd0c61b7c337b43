package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.SigningIdentity;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * Signed endorser transactions whose simulation result is given rather than computed: the proposal, each
 * endorser's signature over (proposal response payload ‖ endorser identity) and the client's envelope, in exactly
 * the layout {@link Proposals} and a node's endorser produce. For tools, tests and benchmarks that need many
 * transactions without running chaincode.
 */
public final class EndorserTransactions {
    private EndorserTransactions() {}

    /** What the client asked for and what simulation produced. */
    public record Invocation(String channelId, String chaincodeName, List<ByteString> args,
                             TxReadWriteSet results, Timestamp timestamp, byte[] nonce) {}

    /** Builds the envelope, endorsed by each of {@code endorsers} (none is allowed: an unendorsed transaction). */
    public static Envelope build(Invocation invocation, SigningIdentity client, List<SigningIdentity> endorsers) {
        Proposals.Unpacked proposal;
        try {
            proposal = Proposals.unpack(Proposal.parseFrom(Proposals.create(new Proposals.Invocation(
                    invocation.channelId(), invocation.chaincodeName(), invocation.args(), Map.of(),
                    invocation.timestamp(), invocation.nonce()), client).getProposalBytes()));
        } catch (com.google.protobuf.InvalidProtocolBufferException | MalformedTransactionException e) {
            throw new AssertionError("a proposal built here does not decode", e);
        }
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(Proposals.hash(proposal)))
                .setExtension(ChaincodeAction.newBuilder()
                        .setResults(invocation.results().toByteString())
                        .setResponse(Response.newBuilder().setStatus(200))
                        .setChaincodeId(ChaincodeID.newBuilder().setName(invocation.chaincodeName()))
                        .build().toByteString())
                .build().toByteString();
        List<Endorsement> endorsements = new ArrayList<>(endorsers.size());
        for (SigningIdentity endorser : endorsers) {
            ByteString endorserBytes = ByteString.copyFrom(endorser.serialize());
            endorsements.add(Endorsement.newBuilder().setEndorser(endorserBytes).setSignature(ByteString.copyFrom(
                    endorser.sign(responsePayload.concat(endorserBytes).toByteArray()))).build());
        }
        return Proposals.envelope(proposal, responsePayload, endorsements, client);
    }
}
