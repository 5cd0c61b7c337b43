package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.lifecycle.ChaincodePackages;
import org.banyan.ledger.state.StatePage;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChildJvms;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's execute–order–validate flow across three Banyan nodes on 127.0.0.1, one per organisation, each with the
 * unmodified asset-transfer chaincode in a child JVM registered to it: a client's signed proposal is endorsed by
 * nodes over gRPC with TLS ({@code protos.Endorser}), assembled, submitted through Broadcast, ordered by the three
 * consenters, and validated and committed by every node. The chaincode is first deployed through
 * {@code _lifecycle}: its package installed on every node (the chaincode processes register with its package ID),
 * the definition approved by each organisation and committed with policy {@code AND('Org1MSP.peer','Org2MSP.peer')}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkTransactionsTest {
    private static final String CHANNEL = "assetchannel";
    private static final String CC = "basic";
    private static final int ORGS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private LocalNetwork.Layout layout;
    private final List<Node> nodes = new ArrayList<>();
    private ChildJvms chaincodes;
    private NetworkClient network;
    private String packageId;
    private SigningIdentity client;

    @BeforeAll
    void startNetwork() throws Exception {
        layout = LocalNetwork.write(dir.resolve("net"), ORGS, CHANNEL, SampleEnvelopes.freeBasePort(ORGS), 1,
                new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 200), "");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            nodes.add(Node.start(NodeConfig.load(node.configFile())));
        }
        network = new NetworkClient(layout);
        client = network.user(0);
        chaincodes = new ChildJvms(dir);
        // Fabric's lifecycle: each organisation installs the package on its node; the chaincode process runs as
        // that package (it registers with its package ID); every organisation approves the definition naming the
        // package, and it is committed with the endorsement policy AND('Org1MSP.peer','Org2MSP.peer').
        // A Fabric source package: the nodes do not build or run it; the test runs the process, as an operator.
        byte[] chaincodePackage = ChaincodePackages.chaincodePackage("basic_1.0", "java", "assettransfer",
                Map.of("src/build.gradle", "plugins { id 'java' }\n"));
        String packageId = "";
        for (int org = 0; org < ORGS; org++) {
            packageId = network.install(org, chaincodePackage);
        }
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            chaincodes.start("chaincode-" + node.name(), AssetTransferMain.class,
                    ChaincodeJars.classpath(AssetTransferMain.class),
                    ChildJvms.registering(packageId, "127.0.0.1:" + node.chaincodePort()), List.of());
        }
        // Before the definition is committed, no node endorses the chaincode (Fabric's message).
        ProposalResponse early = endorse(0, proposal("AssetExists", "none"));
        assertThat(early.getResponse().getStatus()).isEqualTo(500);
        assertThat(early.getResponse().getMessage()).isEqualTo("make sure the chaincode " + CC + " has been "
                + "successfully defined on channel " + CHANNEL + " and try again: chaincode " + CC + " not found");
        network.define(CC, "1.0", 1, NetworkClient.signaturePolicy("AND('Org1MSP.peer','Org2MSP.peer')"),
                packageId, WAIT);
        this.packageId = packageId;
        // Ready when every node endorses a read (the chaincode registered).
        for (int n = 0; n < ORGS; n++) {
            int node = n;
            assertThat(until(() -> endorse(node, proposal("AssetExists", "none")).getResponse().getStatus() == 200))
                    .as("chaincode registered with node %d; the logs:%s", node + 1, chaincodes.logs()).isTrue();
        }
    }

    @AfterAll
    void stopNetwork() throws Exception {
        if (network != null) {
            network.close();
        }
        if (chaincodes != null) {
            chaincodes.close();
        }
        nodes.forEach(Node::close);
    }

    private SignedProposal proposal(String function, String... args) {
        List<ByteString> all = new ArrayList<>();
        all.add(ByteString.copyFromUtf8(function));
        Arrays.stream(args).map(ByteString::copyFromUtf8).forEach(all::add);
        return network.proposal(client, CC, all);
    }

    private ProposalResponse endorse(int node, SignedProposal proposal) {
        return network.endorse(node, proposal);
    }

    private Envelope endorsed(SignedProposal proposal, int... endorsers) {
        return network.endorsed(proposal, client, endorsers);
    }

    private List<BroadcastResponse> broadcast(Envelope... envelopes) throws Exception {
        return network.broadcast(0, List.of(envelopes));
    }

    /** The code every node committed the transaction with (they must agree). */
    private TxValidationCode committedCode(SignedProposal proposal) throws Exception {
        return network.awaitCommitted(NetworkClient.txId(proposal), WAIT);
    }

    /** Every key of the namespace with its value, version and metadata, in key order. */
    private static List<StatePage.Entry> state(Node node, String namespace) {
        List<StatePage.Entry> entries = new ArrayList<>();
        String bookmark = "";
        do {
            StatePage page = ledger(node).range(namespace, "", "", 100, bookmark);
            entries.addAll(page.entries());
            bookmark = page.bookmark();
        } while (!bookmark.isEmpty());
        return entries;
    }

    private static ChannelLedger ledger(Node node) {
        return node.channel(CHANNEL).orElseThrow().ledger();
    }

    private static boolean until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (StatusRuntimeException e) {
                // not ready yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void endorseOrderValidateAndCommitOnEveryNode() throws Exception {
        SignedProposal create = proposal("CreateAsset", "asset1", "blue", "5", "Tomoko", "300");
        assertThat(broadcast(endorsed(create, 0, 1))).allMatch(r -> r.getStatus() == Status.SUCCESS);
        assertThat(committedCode(create)).isEqualTo(TxValidationCode.VALID);
        // Any node answers a read from its own committed state, here the one that did not endorse the create.
        ProposalResponse read = endorse(2, proposal("ReadAsset", "asset1"));
        assertThat(read.getResponse().getPayload().toStringUtf8()).contains("\"Owner\":\"Tomoko\"");

        // AND(Org1, Org2): Org1 alone, and Org1 with Org3 (a majority, but not the policy), are ordered and then
        // refused by every validator.
        SignedProposal lonely = proposal("UpdateAsset", "asset1", "red", "5", "Tomoko", "300");
        SignedProposal wrongPair = proposal("UpdateAsset", "asset1", "green", "5", "Tomoko", "300");
        broadcast(endorsed(lonely, 0), endorsed(wrongPair, 0, 2));
        assertThat(committedCode(lonely)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(committedCode(wrongPair)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        // A forged endorsement signature does not count: the transaction is ordered, then fails the policy.
        SignedProposal forgedEndorsement = proposal("UpdateAsset", "asset1", "black", "5", "Tomoko", "300");
        broadcast(withForgedEndorsement(endorsed(forgedEndorsement, 0, 1)));
        assertThat(committedCode(forgedEndorsement)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        // A forged creator signature is refused before ordering, so it never reaches a block, let alone VALID.
        SignedProposal forgedCreator = proposal("UpdateAsset", "asset1", "white", "5", "Tomoko", "300");
        Envelope genuine = endorsed(forgedCreator, 0, 1);
        byte[] signature = genuine.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        assertThat(broadcast(genuine.toBuilder().setSignature(ByteString.copyFrom(signature)).build()).getFirst()
                .getStatus()).isEqualTo(Status.FORBIDDEN);

        // Two transfers simulated on the same committed version: the first to commit wins, the second reads a
        // version that is no longer current.
        SignedProposal toMax = proposal("TransferAsset", "asset1", "Max");
        SignedProposal toLin = proposal("TransferAsset", "asset1", "Lin");
        Envelope max = endorsed(toMax, 0, 1);
        Envelope lin = endorsed(toLin, 1, 0);
        // One after the other: two envelopes admitted together may be ordered either way.
        assertThat(broadcast(max)).allMatch(r -> r.getStatus() == Status.SUCCESS);
        assertThat(committedCode(toMax)).isEqualTo(TxValidationCode.VALID);
        assertThat(broadcast(lin)).allMatch(r -> r.getStatus() == Status.SUCCESS);
        assertThat(committedCode(toLin)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(endorse(1, proposal("ReadAsset", "asset1")).getResponse().getPayload().toStringUtf8())
                .contains("\"Owner\":\"Max\"");

        // A key-level policy: once asset1 requires all three organisations, the chaincode's AND(Org1, Org2) no
        // longer suffices for it.
        SignedProposal allThree = proposal("SetAssetEndorsers", "asset1", "Org1MSP,Org2MSP,Org3MSP");
        broadcast(endorsed(allThree, 0, 1));
        assertThat(committedCode(allThree)).isEqualTo(TxValidationCode.VALID);
        SignedProposal twoOfThree = proposal("TransferAsset", "asset1", "Zoe");
        broadcast(endorsed(twoOfThree, 0, 1));
        assertThat(committedCode(twoOfThree)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        SignedProposal everyOrg = proposal("TransferAsset", "asset1", "Zoe");
        broadcast(endorsed(everyOrg, 0, 1, 2));
        assertThat(committedCode(everyOrg)).isEqualTo(TxValidationCode.VALID);
        assertThat(endorse(2, proposal("ReadAsset", "asset1")).getResponse().getPayload().toStringUtf8())
                .contains("\"Owner\":\"Zoe\"");

        // A scan of asset0..asset9, then an insert into that range ordered before it: the scan's range query no
        // longer returns the same keys when re-executed at validation.
        SignedProposal scan = proposal("GetAssetsByRange", "asset0", "asset9");
        Envelope scanned = endorsed(scan, 0, 1);
        SignedProposal insert = proposal("CreateAsset", "asset5", "blue", "1", "Ana", "10");
        assertThat(broadcast(endorsed(insert, 0, 1))).allMatch(r -> r.getStatus() == Status.SUCCESS);
        assertThat(committedCode(insert)).isEqualTo(TxValidationCode.VALID);
        assertThat(broadcast(scanned)).allMatch(r -> r.getStatus() == Status.SUCCESS);
        assertThat(committedCode(scan)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);

        // An upgrade (sequence 2) to OR('Org3MSP.peer') takes effect from the block after its commit: a
        // transaction endorsed under sequence 1 but committed after the upgrade read a sequence that is no longer
        // current (endorsed by all three, so the new policy holds and only the version check is left to fail);
        // Org1 and Org2 no longer suffice; Org3 alone now does.
        SignedProposal underOldDefinition = proposal("UpdateAsset", "asset5", "red", "1", "Ana", "10");
        Envelope stale = endorsed(underOldDefinition, 0, 1, 2);
        SignedProposal oldPair = proposal("UpdateAsset", "asset5", "blue", "1", "Ana", "10");
        network.define(CC, "2.0", 2, NetworkClient.signaturePolicy("OR('Org3MSP.peer')"), packageId, WAIT);
        broadcast(stale);
        assertThat(committedCode(underOldDefinition)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        broadcast(endorsed(oldPair, 0, 1));
        assertThat(committedCode(oldPair)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        SignedProposal org3Only = proposal("UpdateAsset", "asset5", "green", "1", "Ana", "10");
        broadcast(endorsed(org3Only, 2));
        assertThat(committedCode(org3Only)).isEqualTo(TxValidationCode.VALID);

        // A replayed envelope is refused before ordering; a replayed proposal is not endorsed again.
        assertThat(broadcast(max).getFirst().getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThatThrownBy(() -> endorse(0, toMax)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("duplicate transaction found");

        // Every node holds the same blocks with the same codes and commit hashes, and the same state.
        long height = nodes.stream().mapToLong(n -> ledger(n).height()).min().orElseThrow();
        for (long number = 1; number < height; number++) {
            Block reference = ledger(nodes.getFirst()).block(number).orElseThrow();
            for (Node node : nodes) {
                Block block = ledger(node).block(number).orElseThrow();
                assertThat(Blocks.metadata(block, BlockMetadataSlots.TRANSACTIONS_FILTER))
                        .isEqualTo(Blocks.metadata(reference, BlockMetadataSlots.TRANSACTIONS_FILTER));
                assertThat(Blocks.metadata(block, BlockMetadataSlots.COMMIT_HASH))
                        .as("commit hash of block %d", number)
                        .isEqualTo(Blocks.metadata(reference, BlockMetadataSlots.COMMIT_HASH));
            }
        }
        for (String namespace : List.of(CC, "_lifecycle")) {
            List<StatePage.Entry> reference = state(nodes.getFirst(), namespace);
            assertThat(reference).isNotEmpty();
            for (Node node : nodes) {
                assertThat(state(node, namespace)).as("namespace %s", namespace).isEqualTo(reference);
            }
        }
    }

    /** The envelope with its first endorsement's signature altered and the payload signed again by the client. */
    private Envelope withForgedEndorsement(Envelope envelope) throws Exception {
        Payload payload = Payload.parseFrom(envelope.getPayload());
        Transaction transaction = Transaction.parseFrom(payload.getData());
        ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        Endorsement first = action.getAction().getEndorsements(0);
        byte[] signature = first.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        ChaincodeActionPayload forged = action.toBuilder().setAction(action.getAction().toBuilder()
                .setEndorsements(0, first.toBuilder().setSignature(ByteString.copyFrom(signature)))).build();
        byte[] forgedPayload = payload.toBuilder().setData(transaction.toBuilder().setActions(0,
                transaction.getActions(0).toBuilder().setPayload(forged.toByteString())).build().toByteString())
                .build().toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(forgedPayload))
                .setSignature(ByteString.copyFrom(client.sign(forgedPayload))).build();
    }
}
