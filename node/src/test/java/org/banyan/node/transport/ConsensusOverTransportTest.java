package org.banyan.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.CommittedTip;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.LeaderSchedule;
import org.banyan.consensus.Payload;
import org.banyan.consensus.PayloadValidator;
import org.banyan.consensus.Replica;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.consensus.ChannelFrameRouter;
import org.banyan.node.consensus.ConsensusDriver;
import org.banyan.node.consensus.LedgerChain;
import org.banyan.node.consensus.MspSignatureVerifier;
import org.banyan.node.consensus.MspVoteSigner;
import org.banyan.node.consensus.PeerLinksTransport;
import org.banyan.node.consensus.SafetyStore;
import org.banyan.protocol.config.ChannelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four drivers, each with its own ConsenterServer and PeerLinks over mutual TLS on 127.0.0.1. */
class ConsensusOverTransportTest {
    private static final String CHANNEL = "wiring";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void fourNodesCommitTheSameSequenceOverRealLinks() throws Exception {
        TestNetwork network = new TestNetwork(dir.resolve("crypto"), 4);
        ChannelConfig channel = network.channel(CHANNEL, 0, 1, 2, 3);
        ConsenterDirectory directory = ConsenterDirectory.of(List.of(channel));
        ConsensusConfig defaults = ConsensusConfig.defaults(4);
        ConsensusConfig config = new ConsensusConfig(4, 10, defaults.proposalBytesMax(), 300, 2_000, false,
                defaults.pendingPayloadsMax(), defaults.treeBlocksMax(), defaults.retainedBlocksMax(),
                defaults.recentPayloadIdsMax(), defaults.syncBlocksMax(), defaults.roundsAheadMax());
        CodecLimits limits = CodecLimits.from(config);
        MspSignatureVerifier verifier = MspSignatureVerifier.of(channel.consenters(), SignatureVerifier.withDefaults());

        List<ConsensusDriver> drivers = new ArrayList<>();
        List<List<Actions.Commit>> commits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GeneratedOrg org = network.crypto.orgs().get(i);
            ChannelFrameRouter router = new ChannelFrameRouter();
            ConsenterServer server = new ConsenterServer(network.address(i), network.tls(i), directory,
                    TestNetwork.LIMITS, router);
            closeables.add(server);
            PeerLinks links = new PeerLinks(network.tls(i), directory, TestNetwork.LIMITS);
            closeables.add(links);
            PeerLinksTransport transport = new PeerLinksTransport(links, CHANNEL, channel.consenters());
            Replica replica = new Replica(new ReplicaId(i), config,
                    new MspVoteSigner(LocalSigningIdentity.load(org.ordererMspDir(), org.mspId())), verifier,
                    PayloadValidator.acceptAll(), LeaderSchedule.roundRobin(4));
            List<Actions.Commit> sink = Collections.synchronizedList(new ArrayList<>());
            commits.add(sink);
            Path stateDir = Files.createDirectories(dir.resolve("node" + i));
            ConsensusDriver driver = new ConsensusDriver(CHANNEL + "-" + i, replica, 4,
                    new SafetyStore(stateDir.resolve(CHANNEL + ".safety"), new SafetyStateCodec(limits),
                            config.treeBlocksMax()),
                    new WireCodec(limits), transport, sink::add, () -> System.nanoTime() / 1_000_000,
                    LedgerChain.Recovered.genesis(), 10_000);
            closeables.add(driver);
            drivers.add(driver);
            router.register(CHANNEL, driver, transport);
            server.start();
            links.start();
        }
        for (ConsensusDriver driver : drivers) {
            driver.start();
        }

        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String id = "tx-" + i;
            submitted.add(id);
            assertThat(drivers.get(i % 4).submit(new Payload(id, id.getBytes(StandardCharsets.UTF_8)))).isTrue();
        }
        assertThat(TestNetwork.await(WAIT, () -> {
            for (List<Actions.Commit> sink : commits) {
                if (!new HashSet<>(payloadIds(sink)).containsAll(submitted)) {
                    return false;
                }
            }
            return true;
        })).as("all four commit every payload").isTrue();
        List<String> reference = payloadIds(commits.get(0));
        assertThat(reference).hasSize(40).doesNotHaveDuplicates();
        for (int i = 1; i < 4; i++) {
            assertThat(payloadIds(commits.get(i))).isEqualTo(reference);
        }
        for (ConsensusDriver driver : drivers) {
            assertThat(driver.failure()).isNull();
            assertThat(driver.framesMalformed()).isZero();
        }
    }

    private static List<String> payloadIds(List<Actions.Commit> sink) {
        synchronized (sink) {
            List<String> ids = new ArrayList<>();
            for (Actions.Commit commit : sink) {
                for (Block block : commit.blocks()) {
                    block.payloads().forEach(p -> ids.add(p.payloadId()));
                }
            }
            return ids;
        }
    }
}
