package org.banyan.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Payload;
import org.banyan.consensus.VoteSigner;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four drivers with real MSP signatures and real codec bytes over an in-memory transport. */
class ConsensusDriverClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private InMemoryCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private InMemoryCluster startCluster() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(dir.resolve("crypto"), 4, KeyType.ECDSA_P256, 1);
        List<VoteSigner> signers = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        for (GeneratedOrg org : network.orgs()) {
            LocalSigningIdentity identity = LocalSigningIdentity.load(org.ordererMspDir(), org.mspId());
            signers.add(new MspVoteSigner(identity));
            certificates.add(identity.certificate());
        }
        Path stateDir = Files.createDirectories(dir.resolve("state"));
        ConsensusConfig defaults = ConsensusConfig.defaults(4);
        // Short timeouts so a dead leader's rounds pass quickly; 20 payloads per block to get several blocks.
        ConsensusConfig config = new ConsensusConfig(4, 20, defaults.proposalBytesMax(), 300, 2_000, false,
                defaults.pendingPayloadsMax(), defaults.treeBlocksMax(), defaults.retainedBlocksMax(),
                defaults.recentPayloadIdsMax(), defaults.syncBlocksMax(), defaults.roundsAheadMax());
        return new InMemoryCluster(config, stateDir, signers,
                new MspSignatureVerifier(certificates, SignatureVerifier.withDefaults()));
    }

    private static Payload payload(String id) {
        return new Payload(id, ("envelope " + id).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fourDriversCommitTheSameSequenceAndSurviveAStoppedReplica() throws Exception {
        cluster = startCluster();
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = "tx-" + i;
            submitted.add(id);
            assertThat(cluster.drivers.get(i % 4).submit(payload(id))).isTrue();
        }

        assertThat(InMemoryCluster.await(WAIT, () -> allCommitted(List.of(0, 1, 2, 3), submitted)))
                .as("all four commit all 200 payloads; committed %s", counts()).isTrue();
        List<String> reference = cluster.committedPayloadIds(0);
        assertThat(reference).hasSize(200).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
        for (int i = 1; i < 4; i++) {
            assertThat(cluster.committedPayloadIds(i)).as("replica %d", i).isEqualTo(reference);
        }

        cluster.drivers.get(3).close();
        assertThat(cluster.drivers.get(3).isRunning()).isFalse();
        Set<String> more = new HashSet<>(submitted);
        for (int i = 0; i < 30; i++) {
            String id = "after-stop-" + i;
            more.add(id);
            assertThat(cluster.drivers.get(i % 3).submit(payload(id))).isTrue();
        }
        assertThat(InMemoryCluster.await(WAIT, () -> allCommitted(List.of(0, 1, 2), more)))
                .as("the other three keep committing; committed %s", counts()).isTrue();
        List<String> after = cluster.committedPayloadIds(0);
        assertThat(after).hasSize(230).doesNotHaveDuplicates().startsWith(reference.toArray(String[]::new));
        assertThat(cluster.committedPayloadIds(1)).isEqualTo(after);
        assertThat(cluster.committedPayloadIds(2)).isEqualTo(after);

        assertThat(cluster.violations).isEmpty();
        for (ConsensusDriver driver : cluster.drivers) {
            assertThat(driver.failure()).isNull();
            assertThat(driver.framesMalformed()).isZero();
        }
    }

    private boolean allCommitted(List<Integer> replicas, Set<String> expected) {
        for (int i : replicas) {
            if (!new HashSet<>(cluster.committedPayloadIds(i)).containsAll(expected)) {
                return false;
            }
        }
        return true;
    }

    private List<Integer> counts() {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            counts.add(cluster.committedPayloadIds(i).size());
        }
        return counts;
    }
}
