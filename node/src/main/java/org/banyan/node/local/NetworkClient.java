package org.banyan.node.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.orderer.BroadcastClient;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.policy.PolicyDsl;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;

/**
 * A client of a {@link LocalNetwork}'s running nodes, as Fabric's tools and SDKs use a network: proposals endorsed
 * over gRPC with TLS ({@code protos.Endorser}), transactions assembled and submitted through Broadcast, commits
 * awaited on every node's operations endpoint, and chaincode defined through {@code _lifecycle} (each
 * organisation's admin approves, endorsed by its own node; the definition is committed with the endorsements of a
 * majority). For the demo, tests and benchmarks; nothing here is privileged — every step is an ordinary
 * transaction the nodes check.
 */
public final class NetworkClient implements AutoCloseable {
    /** Fabric's channel policy reference that {@code peer lifecycle} uses when no policy is given. */
    public static final String DEFAULT_ENDORSEMENT_POLICY = "/Channel/Application/Endorsement";
    private static final long RPC_TIMEOUT_MILLIS = 30_000;

    private final LocalNetwork.Layout layout;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SecureRandom random = new SecureRandom();

    public NetworkClient(LocalNetwork.Layout layout) {
        this.layout = layout;
        try {
            for (LocalNetwork.NodeLayout node : layout.nodes()) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", node.broadcastPort())
                        .sslContext(GrpcSslContexts.forClient().trustManager(node.tlsCaCert().toFile()).build())
                        .build());
            }
        } catch (SSLException e) {
            close();
            throw new IllegalArgumentException("cannot set up TLS to the nodes: " + e.getMessage(), e);
        }
    }

    /** Organisation {@code org}'s admin (organisations count from 0, in layout order). */
    public LocalSigningIdentity admin(int org) {
        return LocalSigningIdentity.load(layout.crypto().orgs().get(org).adminMspDir(), layout.nodes().get(org).mspId());
    }

    /** Organisation {@code org}'s first user. */
    public LocalSigningIdentity user(int org) {
        LocalNetwork.NodeLayout node = layout.nodes().get(org);
        return LocalSigningIdentity.load(node.userMspDirs().getFirst(), node.mspId());
    }

    /** A signed proposal on the layout's channel with a fresh nonce. */
    public SignedProposal proposal(SigningIdentity creator, String chaincode, List<ByteString> args) {
        return proposal(layout.channelId(), creator, chaincode, args);
    }

    private SignedProposal proposal(String channelId, SigningIdentity creator, String chaincode,
            List<ByteString> args) {
        return Proposals.create(new Proposals.Invocation(channelId, chaincode, args, Map.of(), Timestamp.newBuilder()
                .setSeconds(Instant.now().getEpochSecond()).build(), TxIds.newNonce(random)), creator);
    }

    /** Node {@code node}'s answer to the proposal. */
    public ProposalResponse endorse(int node, SignedProposal proposal) {
        return EndorserGrpc.newBlockingStub(channels.get(node))
                .withDeadlineAfter(RPC_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).processProposal(proposal);
    }

    /**
     * The proposal endorsed by each of {@code nodes}, assembled into {@code creator}'s transaction.
     *
     * @throws IllegalStateException naming the node and its answer when one does not endorse
     */
    public Envelope endorsed(SignedProposal proposal, SigningIdentity creator, int... nodes) {
        List<ProposalResponse> responses = new ArrayList<>();
        for (int node : nodes) {
            ProposalResponse response = endorse(node, proposal);
            if (!response.hasEndorsement()) {
                throw new IllegalStateException(layout.nodes().get(node).name() + " did not endorse: status "
                        + response.getResponse().getStatus() + " " + response.getResponse().getMessage());
            }
            responses.add(response);
        }
        try {
            return Proposals.assemble(Proposal.parseFrom(proposal.getProposalBytes()), responses, creator);
        } catch (InvalidProtocolBufferException | MalformedTransactionException e) {
            throw new IllegalArgumentException("the proposal does not decode", e);
        }
    }

    /** Submits through node {@code node}'s Broadcast; one response per envelope, in order. */
    public List<BroadcastResponse> broadcast(int node, List<Envelope> envelopes)
            throws TimeoutException, ExecutionException, InterruptedException {
        LocalNetwork.NodeLayout target = layout.nodes().get(node);
        try (BroadcastClient client = new BroadcastClient("127.0.0.1", target.broadcastPort(), target.tlsCaCert())) {
            return client.broadcast(envelopes, RPC_TIMEOUT_MILLIS);
        }
    }

    /**
     * Waits until every node has committed the transaction and returns its code there.
     *
     * @throws IllegalStateException when the nodes disagree on the code
     * @throws TimeoutException when a node has not committed it within {@code timeout}
     */
    public TxValidationCode awaitCommitted(String txId, Duration timeout)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TxValidationCode agreed = null;
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            TxValidationCode code;
            while ((code = committedCode(node, txId)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(node.name() + " has not committed " + txId + " within " + timeout);
                }
                Thread.sleep(20);
            }
            if (agreed != null && agreed != code) {
                throw new IllegalStateException("nodes disagree on " + txId + ": " + agreed + " and " + code);
            }
            agreed = code;
        }
        return agreed;
    }

    private TxValidationCode committedCode(LocalNetwork.NodeLayout node, String txId) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.opsPort() + "/tx/"
                + layout.channelId() + "/" + txId)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode body = new ObjectMapper().readTree(response.body());
            return TxValidationCode.valueOf(body.get("code").asText());
        } catch (IOException e) {
            return null; // not listening yet, or restarting
        }
    }

    /** Endorses, submits through node 0, and waits for every node's commit; returns the agreed code. */
    public TxValidationCode submit(SignedProposal proposal, SigningIdentity creator, Duration timeout, int... nodes)
            throws TimeoutException, ExecutionException, InterruptedException {
        BroadcastResponse response = broadcast(0, List.of(endorsed(proposal, creator, nodes))).getFirst();
        if (response.getStatus() != Status.SUCCESS) {
            throw new IllegalStateException("Broadcast refused the transaction: " + response.getStatus() + " "
                    + response.getInfo());
        }
        return awaitCommitted(txId(proposal), timeout);
    }

    /**
     * Defines chaincode {@code name} on the channel through {@code _lifecycle}, as {@code peer lifecycle chaincode
     * approveformyorg} and {@code commit} do: every organisation's admin approves (each endorsed by its own node,
     * all in one block; an organisation that has not approved does not endorse the chaincode), then organisation
     * 0's admin commits with the endorsements of the first ⌊n/2⌋+1 organisations' nodes.
     *
     * @param packageId the installed package each approving organisation runs it with, or empty to approve the
     *     definition without one (the organisation does not run the chaincode)
     * @param policy the endorsement policy ({@code ApplicationPolicy}), e.g. {@link #channelPolicy}
     * @throws IllegalStateException when a step is refused or commits with a code other than VALID
     */
    public void define(String name, String version, long sequence, ApplicationPolicy policy, String packageId,
            Duration timeout) throws TimeoutException, ExecutionException, InterruptedException {
        int majority = layout.nodes().size() / 2 + 1;
        ApproveChaincodeDefinitionForMyOrgArgs.Builder approve = ApproveChaincodeDefinitionForMyOrgArgs.newBuilder()
                .setName(name).setVersion(version).setSequence(sequence)
                .setValidationParameter(policy.toByteString());
        if (!packageId.isEmpty()) {
            approve.setSource(ChaincodeSource.newBuilder().setLocalPackage(
                    ChaincodeSource.Local.newBuilder().setPackageId(packageId)));
        }
        List<Envelope> approvals = new ArrayList<>();
        List<String> approvalIds = new ArrayList<>();
        for (int org = 0; org < layout.nodes().size(); org++) {
            SignedProposal proposal = proposal(admin(org), LIFECYCLE, lifecycleArgs(APPROVE, approve.build()));
            approvals.add(endorsed(proposal, admin(org), org));
            approvalIds.add(txId(proposal));
        }
        requireAllSuccess(broadcast(0, approvals));
        for (String txId : approvalIds) {
            requireValid(txId, awaitCommitted(txId, timeout));
        }
        CommitChaincodeDefinitionArgs commit = CommitChaincodeDefinitionArgs.newBuilder().setName(name)
                .setVersion(version).setSequence(sequence).setValidationParameter(policy.toByteString()).build();
        SignedProposal proposal = proposal(admin(0), LIFECYCLE, lifecycleArgs(COMMIT, commit));
        int[] endorsers = new int[majority];
        for (int org = 0; org < majority; org++) {
            endorsers[org] = org;
        }
        requireValid(txId(proposal), submit(proposal, admin(0), timeout, endorsers));
    }

    /**
     * Installs the package on every organisation's node and defines it with that package ({@link #define});
     * returns the package ID.
     */
    public String deploy(String name, String version, long sequence, ApplicationPolicy policy, byte[] chaincodePackage,
            Duration timeout) throws TimeoutException, ExecutionException, InterruptedException {
        String packageId = "";
        for (int org = 0; org < layout.nodes().size(); org++) {
            packageId = install(org, chaincodePackage);
        }
        define(name, version, sequence, policy, packageId, timeout);
        return packageId;
    }

    /**
     * Installs a chaincode package on node {@code org} as that organisation's admin ({@code peer lifecycle
     * chaincode install}: a proposal without a channel) and returns its package ID ({@code label:sha256}).
     *
     * @throws IllegalStateException with the node's answer when it refuses
     */
    public String install(int org, byte[] chaincodePackage) {
        SignedProposal proposal = proposal("", admin(org), LIFECYCLE, lifecycleArgs(INSTALL,
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(chaincodePackage))
                        .build()));
        ProposalResponse response = endorse(org, proposal);
        if (response.getResponse().getStatus() != 200) {
            throw new IllegalStateException(layout.nodes().get(org).name() + " did not install the package: "
                    + response.getResponse().getMessage());
        }
        try {
            return InstallChaincodeResult.parseFrom(response.getResponse().getPayload()).getPackageId();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the install result does not decode", e);
        }
    }

    /** An endorsement policy in Fabric's syntax, e.g. {@code AND('Org1MSP.peer','Org2MSP.peer')}. */
    public static ApplicationPolicy signaturePolicy(String policy) {
        return ApplicationPolicy.newBuilder().setSignaturePolicy(PolicyDsl.parse(policy)).build();
    }

    /** An endorsement policy that refers to a channel policy, e.g. {@link #DEFAULT_ENDORSEMENT_POLICY}. */
    public static ApplicationPolicy channelPolicy(String path) {
        return ApplicationPolicy.newBuilder().setChannelConfigPolicyReference(path).build();
    }

    private static final String LIFECYCLE = "_lifecycle";
    private static final String INSTALL = "InstallChaincode";
    private static final String APPROVE = "ApproveChaincodeDefinitionForMyOrg";
    private static final String COMMIT = "CommitChaincodeDefinition";

    private static List<ByteString> lifecycleArgs(String function, Message args) {
        return List.of(ByteString.copyFromUtf8(function), args.toByteString());
    }

    private static void requireAllSuccess(List<BroadcastResponse> responses) {
        for (BroadcastResponse response : responses) {
            if (response.getStatus() != Status.SUCCESS) {
                throw new IllegalStateException("Broadcast refused: " + response.getStatus() + " " + response.getInfo());
            }
        }
    }

    private static void requireValid(String txId, TxValidationCode code) {
        if (code != TxValidationCode.VALID) {
            throw new IllegalStateException("transaction " + txId + " committed as " + code);
        }
    }

    /** The transaction ID of a signed proposal. */
    public static String txId(SignedProposal proposal) {
        try {
            return Proposals.unpack(Proposal.parseFrom(proposal.getProposalBytes())).txId();
        } catch (InvalidProtocolBufferException | MalformedTransactionException e) {
            throw new IllegalArgumentException("the proposal does not decode", e);
        }
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
