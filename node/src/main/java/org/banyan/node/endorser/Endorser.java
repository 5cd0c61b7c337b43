package org.banyan.node.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.lifecycle.InvocableChaincode;
import org.banyan.ledger.lifecycle.LifecycleChaincode;
import org.banyan.ledger.lifecycle.LifecycleChannel;
import org.banyan.ledger.lifecycle.LifecycleException;
import org.banyan.ledger.lifecycle.LifecycleNamespace;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.ChaincodeExecutor;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.banyan.protocol.policy.SignedData;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's endorser ({@code core/endorser}): checks a signed proposal, simulates it on the chaincode, and signs the
 * result with the node's peer identity. The order of checks and the messages are Fabric's, so a client (or a
 * gateway collecting endorsements) sees the same answers as from a Fabric peer:
 *
 * <ol>
 *   <li>the proposal decodes ({@link RefusedProposalException});
 *   <li>its channel is hosted here (else status 500 {@code channel 'X' not found});
 *   <li>header type ENDORSER_TRANSACTION, epoch 0, a nonce and a creator, tx ID = SHA-256(nonce ‖ creator), a
 *       creator valid in a channel MSP whose signature over the proposal verifies — an invalid creator gets only
 *       Fabric's generic {@code access denied: channel [C] creator org [M]} (the detail stays in the log);
 *   <li>the tx ID is not on the ledger ({@code duplicate transaction found});
 *   <li>the creator satisfies the channel's {@value #PROPOSE_POLICY} (Fabric's default ACL for {@code peer/Propose});
 *   <li>the chaincode is committed, approved by this organisation and installed here
 *       ({@link LifecycleChaincode#invocable}), and its init rule holds; then the simulation. {@code _lifecycle}
 *       runs in the node ({@link LifecycleChaincode}, Fabric's function names and arguments) over a simulator of
 *       the channel's committed state, so its approvals and definitions become an ordinary read/write set.
 * </ol>
 * A proposal without a channel may only call {@code _lifecycle}'s node-local functions (install, installed
 * packages): its creator is checked against this node's organisation, and the answer is not endorsed.
 * Steps 3–5 fail with {@link RefusedProposalException} (Fabric answers those with a gRPC error); from step 6 on
 * a failure is a {@code ProposalResponse} with status 500. A chaincode response of status 400–499 comes back
 * without payload or endorsement, one of 500 or more with the payload but no endorsement, a lower one endorsed.
 *
 * <p>Unlike Fabric, the creator's certificate is checked against this node's clock, so an expired client
 * identity is refused here (Fabric's MSP ignores expiry); the committing nodes use Fabric's rule. Thread-safe.
 */
public final class Endorser {
    /** Fabric's default ACL policy for {@code peer/Propose}. */
    public static final String PROPOSE_POLICY = "/Channel/Application/Writers";

    /**
     * One channel as the endorser needs it.
     *
     * @param containsTransaction true when the channel's ledger holds the transaction ID
     * @param state the committed state {@code _lifecycle} functions simulate over
     * @param lifecycle the channel as {@code _lifecycle} sees it (organisations, policies)
     */
    public record Channel(MspRegistry registry, PolicyEvaluator policies, Predicate<String> containsTransaction,
            Supplier<CommittedState> state, LifecycleChannel lifecycle) {}

    /** How the endorser answered a proposal. */
    public enum Outcome {
        /** A response with status below 400: endorsed, or a node-local answer (which Fabric does not endorse). */
        OK,
        /** A response with status 400 or more: the chaincode's error, or the endorser's (status 500). */
        ERROR,
        /** No response: {@link RefusedProposalException} (malformed, duplicate, creator denied). */
        REFUSED
    }

    /**
     * One proposal answered, as an {@link Observer} is told of it.
     *
     * @param channelId the channel the proposal names, as the client sent it (empty for none or when it did not
     *     decode); not necessarily hosted here
     * @param chaincodeName the chaincode it calls, as the client sent it (empty when it did not decode)
     * @param durationNanos from receipt to answer
     */
    public record Processed(String channelId, String chaincodeName, Outcome outcome, long durationNanos) {}

    /** Told of every proposal {@link #process} answers (or refuses), on the caller's thread. Must be quick. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = processed -> {};

        void processed(Processed processed);
    }

    private static final System.Logger LOG = System.getLogger(Endorser.class.getName());

    private final Function<String, Optional<Channel>> channels;
    private final LifecycleChaincode lifecycle;
    private final MspRegistry localMsp;
    private final ChaincodeExecutor executor;
    private final SigningIdentity peer;
    private final ByteString peerIdentity;
    private final Supplier<Instant> clock;
    private final Observer observer;

    /**
     * @param peer the node's peer identity (role {@code peer}, as endorsement policies such as
     *     {@code Org1MSP.peer} require)
     * @param lifecycle the node's {@code _lifecycle} system chaincode; its organisation's MSP also checks
     *     proposals without a channel (install, queries of installed packages), as Fabric's local MSP does
     * @param clock the instant creators' certificates are checked at
     */
    public Endorser(Function<String, Optional<Channel>> channels, LifecycleChaincode lifecycle,
            FabricMSPConfig localMsp, ChaincodeExecutor executor, SigningIdentity peer, Supplier<Instant> clock) {
        this(channels, lifecycle, localMsp, executor, peer, clock, Observer.NONE);
    }

    /** As above, and tells {@code observer} of every proposal answered (metrics). */
    public Endorser(Function<String, Optional<Channel>> channels, LifecycleChaincode lifecycle,
            FabricMSPConfig localMsp, ChaincodeExecutor executor, SigningIdentity peer, Supplier<Instant> clock,
            Observer observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.localMsp = MspRegistry.of(List.of(localMsp));
        this.executor = Objects.requireNonNull(executor, "executor");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.peerIdentity = ByteString.copyFrom(peer.serialize());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Endorses a proposal, or says why not.
     *
     * @throws RefusedProposalException when the proposal is malformed or its creator may not propose (Fabric
     *     answers these with an error rather than a response)
     */
    public ProposalResponse process(SignedProposal signed) throws RefusedProposalException {
        // A measurement for the observer only; nothing the endorser decides depends on it.
        long startNanos = System.nanoTime();
        Proposals.Unpacked proposal = null;
        Outcome outcome = Outcome.ERROR;
        try {
            proposal = unpack(signed);
            ProposalResponse response = answer(proposal, signed);
            outcome = response.getResponse().getStatus() < 400 ? Outcome.OK : Outcome.ERROR;
            return response;
        } catch (RefusedProposalException e) {
            outcome = Outcome.REFUSED;
            throw e;
        } finally {
            observer.processed(new Processed(proposal == null ? "" : proposal.channelId(),
                    proposal == null ? "" : proposal.chaincodeId().getName(), outcome,
                    System.nanoTime() - startNanos));
        }
    }

    private ProposalResponse answer(Proposals.Unpacked proposal, SignedProposal signed)
            throws RefusedProposalException {
        if (proposal.channelId().isEmpty()) {
            return nodeLocal(proposal, signed);
        }
        Optional<Channel> channel = channels.apply(proposal.channelId());
        if (channel.isEmpty()) {
            return failure("channel '" + proposal.channelId() + "' not found");
        }
        validate(proposal, signed, channel.get().registry());
        String txId = proposal.txId();
        if (channel.get().containsTransaction().test(txId)) {
            throw new RefusedProposalException("duplicate transaction found [" + txId + "]. Creator ["
                    + java.util.HexFormat.of().formatHex(proposal.signatureHeader().getCreator().toByteArray()) + "]");
        }
        // Fabric checks the ACL of application chaincode only; _lifecycle applies its own per function.
        PolicyVerdict writer = proposal.chaincodeId().getName().equals(LifecycleNamespace.NAME) ? null
                : channel.get().policies().evaluateSignedData(PROPOSE_POLICY, List.of(new SignedData(
                        signed.getProposalBytes(), proposal.signatureHeader().getCreator(), signed.getSignature())),
                        clock.get());
        if (writer != null && !writer.satisfied()) {
            throw new RefusedProposalException("access denied for [propose][" + proposal.channelId() + "]: ["
                    + writer.reason() + "]");
        }
        return endorse(proposal, signed, channel.get());
    }

    /**
     * A proposal without a channel: only {@code _lifecycle}'s node-local functions, checked against this node's
     * organisation; answered without endorsement, as Fabric does.
     */
    private ProposalResponse nodeLocal(Proposals.Unpacked proposal, SignedProposal signed)
            throws RefusedProposalException {
        validate(proposal, signed, localMsp);
        if (!proposal.chaincodeId().getName().equals(LifecycleNamespace.NAME)) {
            return failure("chaincode " + proposal.chaincodeId().getName() + " cannot be invoked without a channel");
        }
        return ProposalResponse.newBuilder().setResponse(lifecycle.invoke(proposal.input().getArgsList(),
                proposal.signatureHeader().getCreator(), clock.get())).build();
    }

    private ProposalResponse endorse(Proposals.Unpacked proposal, SignedProposal signed, Channel channel) {
        String name = proposal.chaincodeId().getName();
        CommittedState state = channel.state().get();
        TxSimulator simulator = new TxSimulator(proposal.txId(), state);
        if (name.equals(LifecycleNamespace.NAME)) {
            Response response = lifecycle.invoke(proposal.input().getArgsList(),
                    proposal.signatureHeader().getCreator(), clock.get(), channel.lifecycle(), simulator);
            return respond(proposal, name, LifecycleChaincode.SYSTEM_CHAINCODE_VERSION,
                    new ChaincodeResult(response, Optional.empty(), simulator.results()));
        }
        InvocableChaincode chaincode;
        boolean init;
        try {
            // Fabric's ChaincodeEndorsementInfo: committed, approved by this organisation, installed here. Its
            // read of the definition's sequence joins the transaction's read/write set.
            chaincode = lifecycle.invocable(channel.lifecycle(), name, simulator, state);
        } catch (LifecycleException e) {
            simulator.done();
            return failure(e.getMessage());
        }
        try {
            init = chaincode.checkInit(simulator, proposal.input().getIsInit());
        } catch (LifecycleException e) {
            simulator.done();
            return failure("error in simulation: " + e.getMessage());
        }
        ChaincodeResult result;
        try {
            result = executor.execute(name, chaincode.packageId(), proposal.input(), new TransactionContext(
                    proposal.channelId(), proposal.txId(), signed, init), simulator);
        } catch (ChaincodeExecutionException e) {
            return failure("error in simulation: " + e.getMessage());
        }
        return respond(proposal, name, chaincode.version(), result);
    }

    /** Fabric's answer by the chaincode's status: 400–499 bare, 500+ with payload, below 400 endorsed. */
    private ProposalResponse respond(Proposals.Unpacked proposal, String name, String version,
            ChaincodeResult result) {
        Response response = result.response();
        if (response.getStatus() >= 400 && response.getStatus() < 500) {
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        ChaincodeAction.Builder action = ChaincodeAction.newBuilder()
                .setResults(result.readWriteSet().toByteString())
                .setResponse(response)
                .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version));
        result.event().ifPresent(event -> action.setEvents(event.toByteString()));
        ByteString payload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(Proposals.hash(proposal)))
                .setExtension(action.build().toByteString())
                .build().toByteString();
        if (response.getStatus() >= 500) {
            return ProposalResponse.newBuilder().setResponse(response).setPayload(payload).build();
        }
        byte[] signature = peer.sign(payload.concat(peerIdentity).toByteArray());
        return ProposalResponse.newBuilder()
                .setVersion(1)
                .setResponse(response)
                .setPayload(payload)
                .setEndorsement(Endorsement.newBuilder().setEndorser(peerIdentity)
                        .setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    private static Proposals.Unpacked unpack(SignedProposal signed) throws RefusedProposalException {
        try {
            return Proposals.unpack(Proposal.parseFrom(signed.getProposalBytes()));
        } catch (InvalidProtocolBufferException e) {
            throw new RefusedProposalException("error unmarshalling Proposal: " + e.getMessage());
        } catch (MalformedTransactionException e) {
            throw new RefusedProposalException(e.getMessage());
        }
    }

    /** Fabric's {@code UnpackedProposal.Validate}, against the channel's MSPs at this node's clock. */
    private void validate(Proposals.Unpacked proposal, SignedProposal signed, MspRegistry registry)
            throws RefusedProposalException {
        int type = proposal.channelHeader().getType();
        if (type != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            throw new RefusedProposalException("error validating proposal: invalid header type "
                    + Optional.ofNullable(HeaderType.forNumber(type)).map(Enum::name).orElse(String.valueOf(type)));
        }
        if (proposal.channelHeader().getEpoch() != 0) {
            throw new RefusedProposalException("error validating proposal: epoch is non-zero");
        }
        ByteString nonce = proposal.signatureHeader().getNonce();
        ByteString creator = proposal.signatureHeader().getCreator();
        if (nonce.isEmpty()) {
            throw new RefusedProposalException("error validating proposal: nonce is empty");
        }
        if (creator.isEmpty()) {
            throw new RefusedProposalException("error validating proposal: creator is empty");
        }
        String expected = TxIds.compute(nonce.toByteArray(), creator.toByteArray());
        if (!expected.equals(proposal.txId())) {
            throw new RefusedProposalException("error validating proposal: incorrectly computed txid '"
                    + proposal.txId() + "' -- expected '" + expected + "'");
        }
        if (signed.getSignature().isEmpty()) {
            throw new RefusedProposalException("error validating proposal: empty signature bytes");
        }
        String mspId;
        try {
            mspId = SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            throw new RefusedProposalException("error validating proposal: access denied: channel ["
                    + proposal.channelId() + "] creator org unknown, creator is malformed");
        }
        MspVerdict identity = registry.validate(creator.toByteArray(), MspRole.MEMBER, clock.get());
        MspVerdict signature = identity.isValid() ? registry.verify(creator.toByteArray(),
                signed.getProposalBytes().toByteArray(), signed.getSignature().toByteArray()) : identity;
        if (!signature.isValid()) {
            LOG.log(System.Logger.Level.WARNING, "access denied: channel {0}, creator of {1}: {2} {3}",
                    proposal.channelId(), mspId, signature.failure().orElseThrow(), signature.detail());
            throw new RefusedProposalException("error validating proposal: access denied: channel ["
                    + proposal.channelId() + "] creator org [" + mspId + "]");
        }
    }

    private static ProposalResponse failure(String message) {
        return ProposalResponse.newBuilder()
                .setResponse(Response.newBuilder().setStatus(500).setMessage(message)).build();
    }
}
