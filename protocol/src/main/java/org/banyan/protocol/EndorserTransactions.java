package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Builds signed endorser transactions in Fabric's exact layout: the same nesting of Envelope, Payload,
 * Transaction, ChaincodeActionPayload and ProposalResponsePayload that a Fabric client assembles from its
 * proposal and the endorsers' responses. Until the endorsement pipeline exists this is how tools, tests and
 * benchmarks produce transactions; the endorser later produces the same structures.
 */
public final class EndorserTransactions {
    private EndorserTransactions() {}

    /** What the client asked for and what simulation produced. */
    public record Invocation(String channelId, String chaincodeName, List<ByteString> args,
                             TxReadWriteSet results, Timestamp timestamp, byte[] nonce) {}

    /**
     * Builds the envelope: the client's header (creator, nonce, tx ID), each endorser's signature over
     * (proposal response payload ‖ endorser identity), and the client's signature over the payload.
     */
    public static Envelope build(Invocation invocation, SigningIdentity client, List<SigningIdentity> endorsers) {
        byte[] creator = client.serialize();
        String txId = TxIds.compute(invocation.nonce(), creator);
        ChaincodeID chaincodeId = ChaincodeID.newBuilder().setName(invocation.chaincodeName()).build();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(invocation.channelId())
                .setTxId(txId)
                .setTimestamp(invocation.timestamp())
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(chaincodeId).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator))
                .setNonce(ByteString.copyFrom(invocation.nonce()))
                .build();
        ChaincodeProposalPayload proposalPayload = ChaincodeProposalPayload.newBuilder()
                .setInput(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setChaincodeId(chaincodeId)
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(invocation.args())))
                        .build().toByteString())
                .build();

        // Fabric's proposal hash: SHA-256(channel header ‖ signature header ‖ proposal payload without transient data).
        byte[] channelHeaderBytes = channelHeader.toByteArray();
        byte[] signatureHeaderBytes = signatureHeader.toByteArray();
        byte[] proposalHash = Hashes.sha256(channelHeaderBytes, signatureHeaderBytes, proposalPayload.toByteArray());
        ProposalResponsePayload responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(proposalHash))
                .setExtension(ChaincodeAction.newBuilder()
                        .setResults(invocation.results().toByteString())
                        .setResponse(Response.newBuilder().setStatus(200))
                        .setChaincodeId(chaincodeId)
                        .build().toByteString())
                .build();
        byte[] responsePayloadBytes = responsePayload.toByteArray();

        ChaincodeEndorsedAction.Builder action =
                ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(ByteString.copyFrom(responsePayloadBytes));
        for (SigningIdentity endorser : endorsers) {
            byte[] endorserBytes = endorser.serialize();
            action.addEndorsements(Endorsement.newBuilder()
                    .setEndorser(ByteString.copyFrom(endorserBytes))
                    .setSignature(ByteString.copyFrom(endorser.sign(concat(responsePayloadBytes, endorserBytes)))));
        }
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(ByteString.copyFrom(signatureHeaderBytes))
                        .setPayload(ChaincodeActionPayload.newBuilder()
                                .setChaincodeProposalPayload(proposalPayload.toByteString())
                                .setAction(action)
                                .build().toByteString()))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(ByteString.copyFrom(channelHeaderBytes))
                        .setSignatureHeader(ByteString.copyFrom(signatureHeaderBytes)))
                .setData(transaction.toByteString())
                .build();
        byte[] payloadBytes = payload.toByteArray();
        return Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(payloadBytes))
                .setSignature(ByteString.copyFrom(client.sign(payloadBytes)))
                .build();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
