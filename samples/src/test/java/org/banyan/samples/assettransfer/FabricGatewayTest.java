package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.CertificateAuthority;
import org.banyan.crypto.x509.CertificateProfile;
import org.banyan.crypto.x509.FabricNames;
import org.banyan.crypto.x509.IssuedCertificate;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.Validity;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.samples.testing.ChaincodeJars;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's own client SDK ({@code fabric-gateway} 1.5.0, unmodified) against Banyan's gateway on three nodes, each
 * running the asset-transfer sample in-process, deployed through {@code _lifecycle} with the endorsement policy
 * {@code AND('Org1MSP.peer','Org2MSP.peer')}: whichever organisation's gateway a client connects to, the gateway
 * collects the endorsements that policy needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FabricGatewayTest {
    private static final String CHANNEL = "gatewaychannel";
    private static final String CC = "basic";
    private static final int ORGS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The nodes' request limit in this test, so an oversized request is cheap to build. */
    private static final int REQUEST_BYTES_MAX = 256 * 1024;

    @TempDir
    static Path dir;
    private LocalNetwork.Layout layout;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ManagedChannel> connections = new ArrayList<>();

    @BeforeAll
    void startNetwork() throws Exception {
        layout = LocalNetwork.write(dir.resolve("net"), ORGS, CHANNEL, SampleEnvelopes.freeBasePort(ORGS), 1,
                new ChannelProfile.BatchParameters(50, 10 << 20, 2 << 20, 100), "", "  javaInProcess: true\n");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            nodes.add(Node.start(NodeConfig.load(node.configFile(),
                    Map.of("BANYAN_GATEWAY_REQUEST_BYTES_MAX", Integer.toString(REQUEST_BYTES_MAX)))));
        }
        try (NetworkClient admin = new NetworkClient(layout)) {
            admin.deploy(CC, "1.0", 1, NetworkClient.signaturePolicy("AND('Org1MSP.peer','Org2MSP.peer')"),
                    ChaincodeJars.javaPackage("basic_1.0", AssetTransferMain.class), WAIT);
        }
        for (int org = 0; org < ORGS; org++) {
            Contract contract = contract(gateway(org, user(org)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                try {
                    contract.evaluateTransaction("AssetExists", "none");
                    break;
                } catch (GatewayException e) {
                    assertThat(System.nanoTime()).as("org %d evaluates: %s", org + 1, e.getMessage())
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
        }
    }

    @AfterAll
    void stopNetwork() throws Exception {
        for (ManagedChannel connection : connections) {
            connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        nodes.forEach(Node::close);
    }

    /** A user's identity and signer, read from its MSP folder as a Fabric application reads them. */
    private record User(Identity identity, Signer signer) {}

    private User user(int org) throws Exception {
        Path msp = layout.nodes().get(org).userMspDirs().getFirst();
        X509Certificate certificate;
        try (Reader reader = Files.newBufferedReader(onlyFile(msp.resolve("signcerts")))) {
            certificate = Identities.readX509Certificate(reader);
        }
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(onlyFile(msp.resolve("keystore")))) {
            key = Identities.readPrivateKey(reader);
        }
        return new User(new X509Identity(layout.nodes().get(org).mspId(), certificate), Signers.newPrivateKeySigner(key));
    }

    private Gateway gateway(int org, User user) throws Exception {
        LocalNetwork.NodeLayout node = layout.nodes().get(org);
        ManagedChannel connection = NettyChannelBuilder.forAddress("127.0.0.1", node.broadcastPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(node.tlsCaCert().toFile()).build())
                .maxInboundMessageSize(64 << 20).build();
        connections.add(connection);
        return Gateway.newInstance().identity(user.identity()).signer(user.signer()).connection(connection)
                .evaluateOptions(options -> options.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(options -> options.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(options -> options.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(options -> options.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect();
    }

    private static Contract contract(Gateway gateway) {
        return gateway.getNetwork(CHANNEL).getContract(CC);
    }

    @Test
    void everyOrganisationsGatewayEvaluatesAndSubmitsUnderAnAndPolicy() throws Exception {
        for (int org = 0; org < ORGS; org++) {
            Contract contract = contract(gateway(org, user(org)));
            String id = "sync-" + org;
            byte[] created = contract.submitTransaction("CreateAsset", id, "blue", "5", "Org" + (org + 1), "300");
            assertThat(new String(created, StandardCharsets.UTF_8)).contains("\"ID\":\"" + id + "\"");
            assertThat(new String(contract.evaluateTransaction("ReadAsset", id), StandardCharsets.UTF_8))
                    .contains("\"Owner\":\"Org" + (org + 1) + "\"");
        }
    }

    @Test
    void submitAsyncReturnsTheResultAtOnceAndTheStatusOnCommit() throws Exception {
        Contract contract = contract(gateway(2, user(2)));
        contract.submitTransaction("CreateAsset", "async-1", "red", "1", "Carol", "10");
        SubmittedTransaction submitted = contract.newProposal("TransferAsset").addArguments("async-1", "Dave")
                .build().endorse().submitAsync();
        assertThat(new String(submitted.getResult(), StandardCharsets.UTF_8)).isEqualTo("Carol");
        org.hyperledger.fabric.client.Status status = submitted.getStatus();
        assertThat(status.isSuccessful()).isTrue();
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(status.getBlockNumber()).isPositive();
        assertThat(status.getTransactionId()).isEqualTo(submitted.getTransactionId());
        // Asked again after the commit, the status comes from the ledger's index.
        assertThat(submitted.getStatus().getBlockNumber()).isEqualTo(status.getBlockNumber());
    }

    @Test
    void aConflictingTransactionCommitsInvalidAndTheClientHearsWhy() throws Exception {
        Contract contract = contract(gateway(0, user(0)));
        contract.submitTransaction("CreateAsset", "race-1", "green", "1", "Erin", "10");
        // Both endorsed on the same state; whichever is ordered second reads a version that is gone.
        Transaction first = contract.newProposal("TransferAsset").addArguments("race-1", "Frank").build().endorse();
        Transaction second = contract.newProposal("TransferAsset").addArguments("race-1", "Grace").build().endorse();
        assertThat(first.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
        assertThatThrownBy(second::submit).isInstanceOfSatisfying(CommitException.class, e -> {
            assertThat(e.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
            assertThat(e.getTransactionId()).isEqualTo(second.getTransactionId());
        });
        assertThat(new String(contract.evaluateTransaction("ReadAsset", "race-1"), StandardCharsets.UTF_8))
                .contains("\"Owner\":\"Frank\"");
    }

    @Test
    void chaincodeEventsResumeAfterTheCheckpoint() throws Exception {
        Gateway gateway = gateway(1, user(1));
        Network network = gateway.getNetwork(CHANNEL);
        Contract contract = network.getContract(CC);
        long start = submitAsync(contract, "CreateAsset", "event-1", "white", "1", "Ivan", "1")
                .getStatus().getBlockNumber();
        contract.submitTransaction("CreateAsset", "event-2", "white", "1", "Judy", "1");
        contract.submitTransaction("TransferAsset", "event-2", "Mallory");
        InMemoryCheckpointer checkpointer = new InMemoryCheckpointer();
        try (CloseableIterator<ChaincodeEvent> events = network.newChaincodeEventsRequest(CC).startBlock(start)
                .build().getEvents()) {
            ChaincodeEvent first = events.next();
            assertThat(first.getEventName()).isEqualTo("CreateAsset");
            assertThat(new String(first.getPayload(), StandardCharsets.UTF_8)).contains("event-1");
            assertThat(first.getBlockNumber()).isEqualTo(start);
            checkpointer.checkpointChaincodeEvent(first);
        }
        // A new stream from the checkpoint starts with the event after it.
        try (CloseableIterator<ChaincodeEvent> events = network.newChaincodeEventsRequest(CC)
                .checkpoint(checkpointer).build().getEvents()) {
            ChaincodeEvent next = events.next();
            assertThat(next.getEventName()).isEqualTo("CreateAsset");
            assertThat(new String(next.getPayload(), StandardCharsets.UTF_8)).contains("event-2");
            checkpointer.checkpointChaincodeEvent(next);
            ChaincodeEvent transfer = events.next();
            assertThat(transfer.getEventName()).isEqualTo("TransferAsset");
            assertThat(new String(transfer.getPayload(), StandardCharsets.UTF_8)).contains("Mallory");
        }
    }

    @Test
    void blockEventsDeliverCommittedBlocks() throws Exception {
        Gateway gateway = gateway(0, user(0));
        Network network = gateway.getNetwork(CHANNEL);
        long committedIn = submitAsync(network.getContract(CC), "CreateAsset", "block-1", "black", "1", "Ken", "1")
                .getStatus().getBlockNumber();
        try (CloseableIterator<Block> blocks = network.newBlockEventsRequest().startBlock(committedIn).build()
                .getEvents()) {
            Block block = blocks.next();
            assertThat(block.getHeader().getNumber()).isEqualTo(committedIn);
            assertThat(block.getData().getDataCount()).isPositive();
        }
    }

    @Test
    void aBadSignatureIsRefusedAndTheNodeGoesOn() throws Exception {
        User honest = user(0);
        Signer forger = message -> {
            byte[] signature = honest.signer().sign(message);
            signature[signature.length - 1] ^= 0x01;
            return signature;
        };
        Contract contract = contract(gateway(0, new User(honest.identity(), forger)));
        assertThatThrownBy(() -> contract.evaluateTransaction("AssetExists", "none"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    // Fabric's generic answer, so a caller cannot probe which check failed (the node logs it).
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("access denied: channel [" + CHANNEL + "] creator org [Org1MSP]");
                });
        assertThatThrownBy(() -> contract.submitTransaction("CreateAsset", "forged", "x", "1", "y", "1"))
                .isInstanceOf(EndorseException.class);
        assertNodeServes(0);
    }

    @Test
    void anUnknownMspIsRefused() throws Exception {
        User honest = user(0);
        User stranger = new User(new X509Identity("NoSuchMSP", ((X509Identity) honest.identity()).getCertificate()),
                honest.signer());
        Contract contract = contract(gateway(0, stranger));
        assertThatThrownBy(() -> contract.evaluateTransaction("AssetExists", "none"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("NoSuchMSP");
                });
        assertNodeServes(0);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        GeneratedOrg org = layout.crypto().orgs().getFirst();
        Path caDir = org.orgDir().resolve("ca");
        CertificateAuthority ca = CertificateAuthority.of(
                Pem.decodeCertificate(Files.readAllBytes(caDir.resolve("ca." + org.domain() + "-cert.pem"))),
                Pem.decodePrivateKey(Files.readAllBytes(caDir.resolve("priv_sk"))));
        // Inside the CA's window (it starts five minutes before the network was generated), ended a minute ago.
        Instant now = Instant.now();
        IssuedCertificate expired = ca.issue(CertificateProfile.signing(
                FabricNames.subject(org.domain(), "client", "expired@" + org.domain()), KeyType.ECDSA_P256,
                new Validity(now.minus(Duration.ofMinutes(3)), now.minus(Duration.ofMinutes(1)))));
        User user = new User(new X509Identity(org.mspId(), expired.certificate()),
                Signers.newPrivateKeySigner(expired.privateKey()));
        Contract contract = contract(gateway(0, user));
        assertThatThrownBy(() -> contract.evaluateTransaction("AssetExists", "none"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("access denied: channel [" + CHANNEL + "] creator org [Org1MSP]");
                });
        assertNodeServes(0);
    }

    @Test
    void anOversizedRequestIsRefusedWithItsSize() throws Exception {
        Contract contract = contract(gateway(1, user(1)));
        String huge = "x".repeat(REQUEST_BYTES_MAX + 1);
        assertThatThrownBy(() -> contract.evaluateTransaction("AssetExists", huge))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).contains(Integer.toString(REQUEST_BYTES_MAX));
                });
        assertNodeServes(1);
    }

    @Test
    void anUnknownChannelIsNotFound() throws Exception {
        Contract contract = gateway(0, user(0)).getNetwork("nosuchchannel").getContract(CC);
        assertThatThrownBy(() -> contract.evaluateTransaction("AssetExists", "none"))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private static SubmittedTransaction submitAsync(Contract contract, String function, String... args)
            throws Exception {
        return contract.newProposal(function).addArguments(args).build().endorse().submitAsync();
    }

    /** The node still endorses, orders and commits for an honest client. */
    private void assertNodeServes(int org) throws Exception {
        Contract contract = contract(gateway(org, user(org)));
        String id = "after-" + System.nanoTime();
        contract.submitTransaction("CreateAsset", id, "grey", "1", "Olivia", "1");
        assertThat(new String(contract.evaluateTransaction("AssetExists", id), StandardCharsets.UTF_8))
                .isEqualTo("true");
    }

    private static Path onlyFile(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> list = files.filter(Files::isRegularFile).toList();
            assertThat(list).hasSize(1);
            return list.getFirst();
        }
    }
}
