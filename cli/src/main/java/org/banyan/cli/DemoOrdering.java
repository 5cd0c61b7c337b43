package org.banyan.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.consensus.CertifiedChain;
import org.banyan.node.consensus.MspSignatureVerifier;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.node.orderer.BroadcastClient;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The demo's BFT part: four organisations' nodes in this process (consensus over gRPC with mutual TLS on
 * loopback, RocksDB ledgers), envelopes through Fabric Broadcast to every node, one node stopped while the other
 * three go on, restarted and caught up by state transfer, and then the same chain on all four, with every commit
 * certificate verified against the channel's consenters.
 */
final class DemoOrdering {
    static final int NODES = 4;
    private static final String CHANNEL = "ordering";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What the run showed. */
    record Outcome(boolean ok, String summary) {}

    private DemoOrdering() {}

    static Outcome run(Path dir, int envelopesPerPhase) throws Exception {
        LocalNetwork.Layout layout = LocalNetwork.write(dir, NODES, CHANNEL, SampleEnvelopes.freeBasePort(NODES), 1,
                new ChannelProfile.BatchParameters(100, 10 << 20, 2 << 20, 2_000), "  roundTimeoutMillis: 500\n");
        List<Node> nodes = new ArrayList<>();
        try {
            for (LocalNetwork.NodeLayout node : layout.nodes()) {
                nodes.add(Node.start(NodeConfig.load(node.configFile())));
            }
            // The organisations define the sample chaincode ("asset") through _lifecycle first: a majority
            // approves, then the definition is committed, each step a transaction every node validates.
            try (NetworkClient client = new NetworkClient(layout)) {
                client.define("asset", "1.0", 1, NetworkClient.channelPolicy(NetworkClient.DEFAULT_ENDORSEMENT_POLICY),
                        "", WAIT);
            }
            List<String> txIds = new ArrayList<>();
            broadcast(layout, txIds, 0, envelopesPerPhase, NODES);
            if (!await(() -> committedEverywhere(nodes, txIds))) {
                return new Outcome(false, "not every node committed the first envelopes within " + WAIT);
            }
            // One node stops; the other three are a quorum and go on.
            nodes.getLast().close();
            broadcast(layout, txIds, envelopesPerPhase, 2 * envelopesPerPhase, NODES - 1);
            if (!await(() -> committedEverywhere(nodes.subList(0, NODES - 1), txIds))) {
                return new Outcome(false, "three nodes did not go on without the fourth");
            }
            long before = height(layout.nodes().getLast());
            nodes.set(NODES - 1, Node.start(NodeConfig.load(layout.nodes().getLast().configFile())));
            if (!await(() -> committedEverywhere(nodes, txIds))) {
                return new Outcome(false, "the restarted node did not catch up");
            }
            long caughtUp = ledger(nodes.getLast()).height() - before;
            return sameCertifiedChain(nodes, txIds, caughtUp);
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static void broadcast(LocalNetwork.Layout layout, List<String> txIds, int from, int to, int nodeCount)
            throws Exception {
        List<LocalSigningIdentity> endorsers = layout.majorityOfPeers();
        List<List<Envelope>> perNode = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            perNode.add(new ArrayList<>());
        }
        for (int i = from; i < to; i++) {
            LocalNetwork.NodeLayout org = layout.nodes().get(i % NODES);
            LocalSigningIdentity client = LocalSigningIdentity.load(org.userMspDirs().getFirst(), org.mspId());
            Envelope envelope = SampleEnvelopes.write(CHANNEL, client, i, 64, endorsers);
            txIds.add(TransactionParser.parse(envelope).txId());
            perNode.get(i % nodeCount).add(envelope);
        }
        for (int n = 0; n < nodeCount; n++) {
            LocalNetwork.NodeLayout node = layout.nodes().get(n);
            try (BroadcastClient client = new BroadcastClient("127.0.0.1", node.broadcastPort(), node.tlsCaCert())) {
                if (!client.broadcast(perNode.get(n), 30_000).stream().allMatch(r -> r.getStatus() == Status.SUCCESS)) {
                    throw new IllegalStateException("node " + node.name() + " refused envelopes");
                }
            }
        }
    }

    private static Outcome sameCertifiedChain(List<Node> nodes, List<String> txIds, long caughtUp) {
        int envelopes = txIds.size();
        for (int n = 0; n < nodes.size(); n++) {
            for (String txId : txIds) {
                TxValidationCode code = ledger(nodes.get(n)).transaction(txId).orElseThrow().validationCode();
                if (code != TxValidationCode.VALID) {
                    return new Outcome(false, "transaction " + txId + " is " + code + " on node " + (n + 1));
                }
            }
        }
        long height = nodes.stream().mapToLong(n -> ledger(n).height()).min().orElseThrow();
        Block tip = ledger(nodes.getFirst()).block(height - 1).orElseThrow();
        for (Node node : nodes) {
            if (!Arrays.equals(BlockHashing.headerHash(ledger(node).block(height - 1).orElseThrow().getHeader()),
                    BlockHashing.headerHash(tip.getHeader()))) {
                return new Outcome(false, "the nodes hold different blocks at height " + (height - 1));
            }
        }
        ChannelConfig config;
        try {
            config = ChannelConfigs.fromBlock(ledger(nodes.getFirst()).block(0).orElseThrow());
        } catch (org.banyan.protocol.MalformedTransactionException e) {
            return new Outcome(false, "block 0 holds no configuration: " + e.getMessage());
        }
        ConsensusConfig consensus = Node.consensusConfig(config, NodeConfig.ConsensusSettings.DEFAULTS);
        List<Block> blocks = new ArrayList<>();
        ledger(nodes.getFirst()).blocksFrom(1).forEachRemaining(blocks::add);
        CertifiedChain.Verdict verdict = CertifiedChain.verify(blocks.iterator(), new WireCodec(CodecLimits.from(consensus)),
                new Certificates(consensus, MspSignatureVerifier.of(config.consenters(), SignatureVerifier.withDefaults())));
        String summary = String.format("%d nodes, one per organisation (gRPC, mutual TLS, loopback): %d envelopes "
                + "through Fabric Broadcast, each endorsed by the peers of %d organisations and VALID on every node "
                + "after its validation; node %d stopped, the other 3 went on, it restarted and caught up %d blocks; "
                + "all %d ledgers hold block %d = %s; %s", NODES, envelopes, NODES / 2 + 1, NODES, caughtUp, NODES, height - 1,
                HexFormat.of().formatHex(BlockHashing.headerHash(tip.getHeader())).substring(0, 16), verdict.describe());
        return new Outcome(verdict.ok(), summary);
    }

    private static boolean committedEverywhere(List<Node> nodes, List<String> txIds) {
        for (Node node : nodes) {
            ChannelLedger ledger = ledger(node);
            for (String txId : txIds) {
                if (!ledger.containsTransaction(txId)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ChannelLedger ledger(Node node) {
        return node.channel(CHANNEL).orElseThrow().ledger();
    }

    private static long height(LocalNetwork.NodeLayout node) {
        try (ChannelLedger ledger = ChannelLedger.open(node.dataDir().resolve("ledgers"), CHANNEL)) {
            return ledger.height();
        }
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
