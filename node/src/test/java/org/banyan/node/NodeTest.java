package org.banyan.node;

import static org.assertj.core.api.Assertions.assertThat;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.LedgerVerifier;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.consensus.ChannelConsensus;
import org.banyan.node.consensus.CertifiedChain;
import org.banyan.node.consensus.LedgerChain;
import org.banyan.node.consensus.MspSignatureVerifier;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.orderer.BroadcastClient;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four nodes in one JVM, real ports and TLS: Broadcast in, the same chain out; restart and wipe recovery. */
class NodeTest {
    private static final String CHANNEL = "mychannel";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(n -> {
            if (n != null) {
                n.close();
            }
        });
    }

    /**
     * A replica running far behind its peers — further than their in-memory sync window — transfers state while
     * running: node 4 is wiped and started alone (nobody to catch up from), then the others come back with 30
     * blocks; their certificates show it is behind by more than {@code lagBlocksMin}, so it stops its driver,
     * fetches the blocks, and restarts consensus from the new tip.
     */
    @Test
    void aRunningReplicaFarBehindTransfersStateAndRejoins() throws Exception {
        int base = TestEnvelopes.freeBasePort(4);
        LocalNetwork.Layout layout = LocalNetwork.write(dir.resolve("lag"), 4, CHANNEL, base, 1,
                new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 2_000),
                "  roundTimeoutMillis: 300\n  retainedBlocksMax: 2\n  lagBlocksMin: 4\n");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            nodes.add(Node.start(NodeConfig.load(node.configFile())));
        }
        LocalSigningIdentity client = LocalSigningIdentity.load(layout.nodes().getFirst().userMspDirs().getFirst(),
                layout.nodes().getFirst().mspId());
        Set<String> txIds = new HashSet<>();
        List<Envelope> envelopes = signed(client, 0, 300, 50, txIds);
        broadcast(layout, 0, envelopes);
        assertThat(await(() -> nodes.stream().allMatch(n -> committed(n, txIds)))).isTrue();
        nodes.forEach(Node::close);
        deleteTree(layout.nodes().get(3).dataDir());

        nodes.set(3, Node.start(NodeConfig.load(layout.nodes().get(3).configFile())));
        assertThat(nodes.get(3).channel(CHANNEL).orElseThrow().ledger().height()).as("alone: nothing to fetch")
                .isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            nodes.set(i, Node.start(NodeConfig.load(layout.nodes().get(i).configFile())));
        }
        ChannelConsensus lagging = nodes.get(3).channel(CHANNEL).orElseThrow();
        assertThat(await(() -> committed(nodes.get(3), txIds))).as("node 4 holds every transaction again").isTrue();
        // The ledger holds the transactions as soon as the transfer commits them; its counters follow when it ends.
        assertThat(await(() -> lagging.status().blocksTransferred() >= 30 && lagging.status().driverRestarts() > 0))
                .as("it transferred the blocks and restarted consensus: %s", lagging.status()).isTrue();
        // And it goes on with them: the next envelopes reach its ledger too.
        Set<String> more = new HashSet<>();
        List<Envelope> next = signed(client, 300, 320, 50, more);
        broadcast(layout, 0, next);
        assertThat(await(() -> nodes.stream().allMatch(n -> committed(n, more)))).isTrue();
    }

    @Test
    void fourNodesOrderBroadcastEnvelopesAndAWipedNodeRebuildsFromPeers() throws Exception {
        int base = TestEnvelopes.freeBasePort(4);
        LocalNetwork.Layout layout = LocalNetwork.write(dir.resolve("net"), 4, CHANNEL, base, 1,
                new ChannelProfile.BatchParameters(50, 10 << 20, 2 << 20, 2_000), "  roundTimeoutMillis: 500\n");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            nodes.add(Node.start(NodeConfig.load(node.configFile())));
        }
        LocalSigningIdentity client = LocalSigningIdentity.load(layout.nodes().getFirst().userMspDirs().getFirst(),
                layout.nodes().getFirst().mspId());
        Set<String> txIds = new HashSet<>();
        List<Envelope> envelopes = signed(client, 0, 300, 200, txIds);
        broadcast(layout, 1, envelopes.subList(0, 150));
        broadcast(layout, 2, envelopes.subList(150, 300));
        assertThat(await(() -> nodes.stream().allMatch(n -> committed(n, txIds))))
                .as("all four ledgers hold all 300 transactions").isTrue();

        // Wipe node 4: its data directory goes, it restarts and rebuilds from its peers.
        nodes.get(3).close();
        deleteTree(layout.nodes().get(3).dataDir());
        nodes.set(3, Node.start(NodeConfig.load(layout.nodes().get(3).configFile())));
        assertThat(committed(nodes.get(3), txIds)).as("rebuilt by state transfer before consensus starts").isTrue();
        List<Envelope> more = signed(client, 300, 350, 200, txIds);
        broadcast(layout, 3, more);
        assertThat(await(() -> nodes.stream().allMatch(n -> committed(n, txIds))))
                .as("after the wipe all four commit 50 more").isTrue();
        nodes.forEach(Node::close);
        long height = Long.MAX_VALUE;
        List<ChannelLedger> ledgers = new ArrayList<>();
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            assertThat(LedgerVerifier.verifyBlocks(node.dataDir().resolve("ledgers"), CHANNEL).ok()).isTrue();
        }
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            ChannelLedger ledger = ChannelLedger.open(node.dataDir().resolve("ledgers"), CHANNEL, LedgerOptions.defaults());
            ledgers.add(ledger);
            height = Math.min(height, ledger.height());
        }
        try {
            for (long n = 0; n < height; n++) {
                byte[] reference = BlockHashing.headerHash(ledgers.getFirst().block(n).orElseThrow().getHeader());
                for (ChannelLedger ledger : ledgers) {
                    assertThat(BlockHashing.headerHash(ledger.block(n).orElseThrow().getHeader())).isEqualTo(reference);
                }
            }
        } finally {
            ledgers.forEach(ChannelLedger::close);
        }
    }

    @Test
    void aSingleNodeChannelOrdersAndResumesFromItsLedgerAfterARestart() throws Exception {
        int base = TestEnvelopes.freeBasePort(1);
        LocalNetwork.Layout layout = LocalNetwork.write(dir.resolve("solo"), 1, CHANNEL, base, 1,
                new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 2_000), "");
        LocalNetwork.NodeLayout only = layout.nodes().getFirst();
        LocalSigningIdentity client = LocalSigningIdentity.load(only.userMspDirs().getFirst(), only.mspId());
        Set<String> txIds = new HashSet<>();
        nodes.add(Node.start(NodeConfig.load(only.configFile())));
        for (int round = 0; round < 2; round++) {
            List<Envelope> envelopes = signed(client, round * 40, (round + 1) * 40, 100, txIds);
            broadcast(layout, 0, envelopes);
            assertThat(await(() -> committed(nodes.getFirst(), txIds))).as("round %d committed", round).isTrue();
            long height = nodes.getFirst().channel(CHANNEL).orElseThrow().ledger().height();
            assertThat(height).as("blocks of at most 10").isGreaterThanOrEqualTo(1 + 4 * (round + 1));
            // Restart: the node resumes from its ledger tip and safety state, and orders more on top.
            nodes.getFirst().close();
            nodes.set(0, Node.start(NodeConfig.load(only.configFile())));
            // Everything committed is still there; the restarted replica may commit a block it had certified but
            // not yet committed (kept in its safety record), so the height may grow.
            assertThat(nodes.getFirst().channel(CHANNEL).orElseThrow().ledger().height()).isGreaterThanOrEqualTo(height);
            assertThat(committed(nodes.getFirst(), txIds)).isTrue();
        }
        nodes.getFirst().close();
        assertThat(LedgerVerifier.verifyBlocks(only.dataDir().resolve("ledgers"), CHANNEL).ok()).isTrue();
        assertCertifiedAndTamperingDetected(only.dataDir().resolve("ledgers"));
    }

    /**
     * Every block's commit certificate verifies against the genesis consenters; a block whose certificate
     * signature is altered (SIGNATURES metadata is outside the header hash, so the block files alone cannot tell)
     * is caught by the certificate check.
     */
    private static void assertCertifiedAndTamperingDetected(Path ledgerDir) throws Exception {
        List<Block> blocks = new ArrayList<>();
        try (ChannelLedger ledger = ChannelLedger.open(ledgerDir, CHANNEL, LedgerOptions.defaults())) {
            ledger.blocksFrom(0).forEachRemaining(blocks::add);
        }
        ChannelConfig config =
                ChannelConfigs.fromBlock(blocks.getFirst());
        ConsensusConfig consensus = Node.consensusConfig(config,
                NodeConfig.ConsensusSettings.DEFAULTS);
        WireCodec codec = new WireCodec(
                CodecLimits.from(consensus));
        Supplier<Certificates> certificates = () ->
                new Certificates(consensus, MspSignatureVerifier.of(
                        config.consenters(), SignatureVerifier.withDefaults()));
        List<Block> afterGenesis = blocks.subList(1, blocks.size());
        CertifiedChain.Verdict verdict =
                CertifiedChain.verify(afterGenesis.iterator(), codec, certificates.get());
        assertThat(verdict.ok()).as(verdict.describe()).isTrue();
        assertThat(verdict.blocksProven()).isEqualTo(blocks.size() - 1);

        // A block its own certificate names (the last of its commit); earlier blocks of a commit are proven by hash
        // links to it.
        int victim = afterGenesis.size() / 2;
        while (!namesItself(afterGenesis.get(victim), codec)) {
            victim++;
        }
        Block original = afterGenesis.get(victim);
        Metadata signatures = Metadata
                .parseFrom(Blocks.metadata(original,
                        BlockMetadataSlots.SIGNATURES));
        OrdererBlockMetadata value =
                OrdererBlockMetadata.parseFrom(signatures.getValue());
        byte[] witness = value.getConsenterMetadata().toByteArray();
        witness[witness.length - 3] ^= 0x01; // inside the commit certificate's last signature
        Block tampered = Blocks.withMetadata(original,
                BlockMetadataSlots.SIGNATURES, signatures.toBuilder().setValue(value.toBuilder()
                        .setConsenterMetadata(ByteString.copyFrom(witness)).build().toByteString())
                        .build().toByteString());
        List<Block> forged = new ArrayList<>(afterGenesis);
        forged.set(victim, tampered);
        CertifiedChain.Verdict caught =
                CertifiedChain.verify(forged.iterator(), codec, certificates.get());
        assertThat(caught.ok()).isFalse();
        assertThat(caught.problem()).contains("block " + tampered.getHeader().getNumber());
    }

    @Test
    void broadcastAnswersFabricStatusesForBadEnvelopes() throws Exception {
        int base = TestEnvelopes.freeBasePort(1);
        LocalNetwork.Layout layout = LocalNetwork.write(dir.resolve("refusals"), 1, CHANNEL, base, 1,
                ChannelProfile.BatchParameters.DEFAULTS, "");
        LocalNetwork.NodeLayout only = layout.nodes().getFirst();
        nodes.add(Node.start(NodeConfig.load(only.configFile())));
        LocalSigningIdentity client = LocalSigningIdentity.load(only.userMspDirs().getFirst(), only.mspId());
        Envelope good = TestEnvelopes.write(CHANNEL, client, 1, 10);
        byte[] payload = good.getPayload().toByteArray();
        payload[payload.length - 1] ^= 1; // the signature no longer matches
        Envelope tampered = good.toBuilder().setPayload(ByteString.copyFrom(payload)).build();
        Envelope otherChannel = TestEnvelopes.write("otherchannel", client, 2, 10);
        Envelope garbage = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("x")).build();
        // An identity of an organisation outside the channel (its own CA) signs a well-formed envelope.
        LocalSigningIdentity stranger = LocalSigningIdentity.ephemeral("Org9MSP", "client", "mallory",
                KeyType.ECDSA_P256, Instant.now());
        Envelope foreign = TestEnvelopes.write(CHANNEL, stranger, 3, 10);

        try (BroadcastClient broadcast = new BroadcastClient("127.0.0.1", only.broadcastPort(), only.tlsCaCert())) {
            List<BroadcastResponse> answers = broadcast.broadcast(List.of(good, tampered, otherChannel, garbage,
                    foreign), 30_000);
            assertThat(answers).extracting(BroadcastResponse::getStatus).containsExactly(Status.SUCCESS,
                    Status.FORBIDDEN, Status.NOT_FOUND, Status.BAD_REQUEST, Status.FORBIDDEN);
            assertThat(answers.get(1).getInfo()).contains("BAD_SIGNATURE");
            assertThat(answers.get(4).getInfo()).contains("CREATOR_INVALID");
            String txId = TransactionParser.parse(good).txId();
            assertThat(await(() -> nodes.getFirst().channel(CHANNEL).orElseThrow().ledger().transaction(txId)
                    .isPresent())).isTrue();
            // Resubmitted after it was ordered: refused before ordering, not ordered twice.
            BroadcastResponse again = broadcast.broadcast(List.of(good), 30_000).getFirst();
            assertThat(again.getStatus()).isEqualTo(Status.BAD_REQUEST);
            assertThat(again.getInfo()).contains("ALREADY_ORDERED");
        }
    }

    private static boolean namesItself(Block block,
            WireCodec codec) {
        LedgerChain.Rebuilt rebuilt = LedgerChain.rebuild(block, codec);
        return rebuilt.witness().commitQc().voteData().parentId().equals(rebuilt.block().id());
    }

    /** Envelopes {@code from..to-1} signed by {@code client}; their tx ids go into {@code txIds}. */
    private static List<Envelope> signed(LocalSigningIdentity client, int from, int to, int valueBytes,
            Set<String> txIds) throws MalformedTransactionException {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Envelope envelope = TestEnvelopes.write(CHANNEL, client, i, valueBytes);
            envelopes.add(envelope);
            txIds.add(TransactionParser.parse(envelope).txId());
        }
        return envelopes;
    }

    private static void broadcast(LocalNetwork.Layout layout, int node, List<Envelope> envelopes) throws Exception {
        LocalNetwork.NodeLayout target = layout.nodes().get(node);
        try (BroadcastClient client = new BroadcastClient("127.0.0.1", target.broadcastPort(), target.tlsCaCert())) {
            List<BroadcastResponse> responses = client.broadcast(envelopes, 30_000);
            assertThat(responses).hasSize(envelopes.size()).allMatch(r -> r.getStatus() == Status.SUCCESS);
        }
    }

    private static boolean committed(Node node, Set<String> txIds) {
        ChannelLedger ledger = node.channel(CHANNEL).orElseThrow().ledger();
        return txIds.stream().allMatch(txId -> ledger.transaction(txId).isPresent());
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        return Await.until(WAIT, condition);
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
