package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric's chaincode proposal, both ends: what a client builds and signs ({@link #create}), what an endorser reads
 * from it ({@link #unpack}) and hashes ({@link #hash}), and the transaction a client assembles from the endorsed
 * responses ({@link #assemble}, Fabric's {@code protoutil.CreateSignedTx}). The byte layouts are Fabric's, so a
 * proposal from Fabric's SDKs unpacks here and an envelope assembled here validates on a Fabric peer.
 */
public final class Proposals {
    private Proposals() {}

    /**
     * A proposal's parts, decoded once.
     *
     * @param chaincodeId the chaincode named in the header extension (what the client invokes)
     * @param input the invocation's arguments (and its {@code is_init} flag)
     */
    public record Unpacked(Proposal proposal, ChannelHeader channelHeader, ByteString channelHeaderBytes,
            SignatureHeader signatureHeader, ByteString signatureHeaderBytes, ChaincodeID chaincodeId,
            ChaincodeProposalPayload payload, ChaincodeInput input) {
        public String channelId() {
            return channelHeader.getChannelId();
        }

        public String txId() {
            return channelHeader.getTxId();
        }
    }

    /** What a client asks for. {@code transientData} reaches the chaincode but never the ledger. */
    public record Invocation(String channelId, String chaincodeName, List<ByteString> args,
            Map<String, ByteString> transientData, Timestamp timestamp, byte[] nonce) {
        public Invocation {
            args = List.copyOf(args);
            transientData = Map.copyOf(transientData);
            nonce = nonce.clone();
        }
    }

    /** Builds the proposal for {@code invocation} with {@code client} as creator, and signs it. */
    public static SignedProposal create(Invocation invocation, SigningIdentity client) {
        byte[] creator = client.serialize();
        ChaincodeID chaincodeId = ChaincodeID.newBuilder().setName(invocation.chaincodeName()).build();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(invocation.channelId())
                .setTxId(TxIds.compute(invocation.nonce(), creator))
                .setTimestamp(invocation.timestamp())
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(chaincodeId).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator))
                .setNonce(ByteString.copyFrom(invocation.nonce()))
                .build();
        ChaincodeProposalPayload payload = ChaincodeProposalPayload.newBuilder()
                .setInput(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(chaincodeId)
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(invocation.args())))
                        .build().toByteString())
                .putAllTransientMap(invocation.transientData())
                .build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(payload.toByteString())
                .build();
        byte[] proposalBytes = proposal.toByteArray();
        return SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(proposalBytes))
                .setSignature(ByteString.copyFrom(client.sign(proposalBytes))).build();
    }

    /**
     * Decodes a proposal's header, extension and payload (no signature or identity check).
     *
     * @throws MalformedTransactionException ({@code BAD_PAYLOAD}) naming the part that does not decode
     */
    public static Unpacked unpack(Proposal proposal) throws MalformedTransactionException {
        Header header = parse("proposal header", () -> Header.parseFrom(proposal.getHeader()));
        ChannelHeader channelHeader = parse("channel header", () -> ChannelHeader.parseFrom(header.getChannelHeader()));
        SignatureHeader signatureHeader = parse("signature header",
                () -> SignatureHeader.parseFrom(header.getSignatureHeader()));
        ChaincodeHeaderExtension extension = parse("chaincode header extension",
                () -> ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension()));
        ChaincodeProposalPayload payload = parse("chaincode proposal payload",
                () -> ChaincodeProposalPayload.parseFrom(proposal.getPayload()));
        ChaincodeInvocationSpec spec = parse("chaincode invocation spec",
                () -> ChaincodeInvocationSpec.parseFrom(payload.getInput()));
        return new Unpacked(proposal, channelHeader, header.getChannelHeader(), signatureHeader,
                header.getSignatureHeader(), extension.getChaincodeId(), payload, spec.getChaincodeSpec().getInput());
    }

    /**
     * Fabric's proposal hash ({@code protoutil.GetProposalHash1}): SHA-256 over the channel header, the signature
     * header and the proposal payload without its transient map, which therefore never binds the endorsement.
     */
    public static byte[] hash(Unpacked proposal) {
        return Hashes.sha256(proposal.channelHeaderBytes().toByteArray(),
                proposal.signatureHeaderBytes().toByteArray(), withoutTransient(proposal.payload()).toByteArray());
    }

    /**
     * The signed transaction envelope from a proposal and its endorsements: one action whose payload carries the
     * proposal payload without transient data and every response's endorsement, signed by the client.
     *
     * @throws IllegalArgumentException (Fabric's messages) when there is no response, one was not successful,
     *     their payloads differ, or {@code client} is not the proposal's creator
     */
    public static Envelope assemble(Proposal proposal, List<ProposalResponse> responses, SigningIdentity client)
            throws MalformedTransactionException {
        Envelope prepared = prepare(proposal, responses);
        Unpacked unpacked = unpack(proposal);
        if (!unpacked.signatureHeader().getCreator().equals(ByteString.copyFrom(client.serialize()))) {
            throw new IllegalArgumentException("signer must be the same as the one referenced in the header");
        }
        return sign(prepared, client);
    }

    /**
     * The transaction a gateway prepares for its client to sign (Fabric gateway's {@code prepareTransaction}): the
     * envelope of {@link #assemble} with its signature left empty.
     *
     * @throws IllegalArgumentException (Fabric's messages) when there is no response, one was not successful, or
     *     their payloads differ
     */
    public static Envelope prepare(Proposal proposal, List<ProposalResponse> responses)
            throws MalformedTransactionException {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("at least one proposal response is required");
        }
        Unpacked unpacked = unpack(proposal);
        ByteString responsePayload = responses.getFirst().getPayload();
        List<Endorsement> endorsements = new java.util.ArrayList<>(responses.size());
        for (ProposalResponse response : responses) {
            if (response.getResponse().getStatus() < 200 || response.getResponse().getStatus() >= 400) {
                throw new IllegalArgumentException("proposal response was not successful, error code "
                        + response.getResponse().getStatus() + ", msg " + response.getResponse().getMessage());
            }
            if (!response.getPayload().equals(responsePayload)) {
                throw new IllegalArgumentException("ProposalResponsePayloads do not match");
            }
            endorsements.add(response.getEndorsement());
        }
        return unsignedEnvelope(unpacked, responsePayload, endorsements);
    }

    /** The signed envelope of one endorsed action, without checking the endorsements (there may be none). */
    static Envelope envelope(Unpacked proposal, ByteString responsePayload, List<Endorsement> endorsements,
            SigningIdentity client) {
        return sign(unsignedEnvelope(proposal, responsePayload, endorsements), client);
    }

    private static Envelope sign(Envelope unsigned, SigningIdentity client) {
        return unsigned.toBuilder()
                .setSignature(ByteString.copyFrom(client.sign(unsigned.getPayload().toByteArray()))).build();
    }

    private static Envelope unsignedEnvelope(Unpacked proposal, ByteString responsePayload,
            List<Endorsement> endorsements) {
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(proposal.signatureHeaderBytes())
                        .setPayload(ChaincodeActionPayload.newBuilder()
                                .setChaincodeProposalPayload(withoutTransient(proposal.payload()).toByteString())
                                .setAction(ChaincodeEndorsedAction.newBuilder()
                                        .setProposalResponsePayload(responsePayload)
                                        .addAllEndorsements(endorsements))
                                .build().toByteString()))
                .build();
        return Envelope.newBuilder().setPayload(Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(proposal.channelHeaderBytes())
                        .setSignatureHeader(proposal.signatureHeaderBytes()))
                .setData(transaction.toByteString())
                .build().toByteString()).build();
    }

    private static ChaincodeProposalPayload withoutTransient(ChaincodeProposalPayload payload) {
        return payload.getTransientMapCount() == 0 ? payload : payload.toBuilder().clearTransientMap().build();
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(String part, Parser<T> parser) throws MalformedTransactionException {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "could not unmarshal the " + part + ": " + e.getMessage(), e);
        }
    }
}
