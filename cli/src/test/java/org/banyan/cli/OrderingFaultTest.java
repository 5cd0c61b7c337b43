package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.LedgerVerifier;
import org.banyan.ledger.VerificationResult;
import org.banyan.node.TestEnvelopes;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.orderer.BroadcastClient;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four {@code banyan node start} processes on loopback, the consenters of one channel, order 10,000 envelopes
 * submitted through Broadcast while the test kills -9 a follower and restarts it, kills the leader, SIGSTOPs a node
 * for 10 s, and wipes a node's data. At the end every node holds the same chain, each ledger verifies, and every
 * envelope is in it exactly once.
 */
class OrderingFaultTest {
    private static final String CHANNEL = "mychannel";
    private static final int NODES = 4;
    private static final int ENVELOPES = 10_000;
    private static final int SUBMIT_BATCH = 50;
    private static final long SUBMIT_PAUSE_MILLIS = 250;
    private static final long ROUND_TIMEOUT_MILLIS = 1_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final long WARM_UP_MILLIS = 5_000;

    @TempDir
    Path dir;
    private final List<NodeProcess> processes = new ArrayList<>();
    private final AtomicBoolean submitting = new AtomicBoolean(true);
    private Thread submitter;

    @AfterEach
    void stopEverything() throws Exception {
        submitting.set(false);
        if (submitter != null) {
            submitter.join(30_000);
        }
        for (NodeProcess process : processes) {
            process.close();
        }
    }

    @Test
    void fourProcessesOrderEveryEnvelopeOnceThroughCrashesPausesAndAWipe() throws Exception {
        // Logs outlive the temporary directory, for a failure's post-mortem: target/ordering-fault-logs/.
        Path logDir = Path.of("target", "ordering-fault-logs");
        deleteTree(logDir);
        Files.createDirectories(logDir);
        int base = TestEnvelopes.freeBasePort(NODES);
        LocalNetwork.Layout layout = LocalNetwork.write(dir.resolve("net"), NODES, CHANNEL, base, 1,
                new ChannelProfile.BatchParameters(200, 10 << 20, 2 << 20, 2_000),
                "  roundTimeoutMillis: " + ROUND_TIMEOUT_MILLIS + "\n  roundTimeoutMaxMillis: 4000\n");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            processes.add(new NodeProcess(node.name(), node.configFile(), logDir.resolve(node.name() + ".log"),
                    node.opsPort()));
        }
        for (NodeProcess process : processes) {
            process.start(START_TIMEOUT);
        }
        List<Envelope> envelopes = signedEnvelopes(layout);
        List<String> txIds = new ArrayList<>(ENVELOPES);
        for (Envelope envelope : envelopes) {
            txIds.add(TransactionParser.parse(envelope).txId());
        }

        // Which nodes the submitter may use: 1 = up. It skips a node the test is about to fault.
        AtomicIntegerArray usable = new AtomicIntegerArray(NODES);
        for (int i = 0; i < NODES; i++) {
            usable.set(i, 1);
        }
        AtomicLong sent = new AtomicLong();
        submitter = new Thread(() -> submitAll(layout, envelopes, usable, sent), "test-submitter");
        submitter.start();
        awaitTrue(Duration.ofSeconds(30), () -> minHeight(0, 1, 2, 3) >= 3, "first blocks committed");

        // 1. kill -9 a follower: the other three go on committing.
        int follower = followerOf(leader());
        usable.set(follower, 0);
        processes.get(follower).kill9();
        long before = maxHeight(others(follower));
        awaitTrue(Duration.ofSeconds(20), () -> minHeight(others(follower)) > before + 2,
                "commits go on without follower " + follower);
        // 2. restart it: it catches up.
        processes.get(follower).start(START_TIMEOUT);
        awaitCatchUp(follower, "restarted follower " + follower);
        usable.set(follower, 1);

        // 3. kill -9 the leader: a new leader commits within 2x the view timeout.
        int leader = leader();
        usable.set(leader, 0);
        long heightAtKill = maxHeight(others(leader));
        long killedAtNanos = System.nanoTime();
        processes.get(leader).kill9();
        awaitTrue(Duration.ofSeconds(20), () -> {
            StringBuilder line = new StringBuilder("  +" + (System.nanoTime() - killedAtNanos) / 1_000_000 + "ms");
            for (int i : others(leader)) {
                JsonNode st = processes.get(i).channelStatus(CHANNEL);
                line.append(" n").append(i).append(" h=").append(st == null ? -1 : st.path("height").asLong())
                        .append(" r=").append(st == null ? -1 : st.path("round").asLong())
                        .append(" steps=").append(st == null ? -1 : st.path("steps").asLong())
                        .append(" q=").append(st == null ? -1 : st.path("queuedInputs").asLong())
                        .append(" drop=").append(st == null ? -1 : st.path("framesDroppedQueueFull").asLong());
            }
            System.out.println(line);
            return maxHeight(others(leader)) > heightAtKill;
        }, "commit after leader kill");
        long recoveryMillis = (System.nanoTime() - killedAtNanos) / 1_000_000;
        System.out.printf("leader %d killed: next commit after %d ms (view timeout %d ms)%n", leader, recoveryMillis,
                ROUND_TIMEOUT_MILLIS);
        assertThat(recoveryMillis).as("a new leader commits within 2x the view timeout")
                .isLessThanOrEqualTo(2 * ROUND_TIMEOUT_MILLIS);
        processes.get(leader).start(START_TIMEOUT);
        awaitCatchUp(leader, "restarted leader " + leader);
        usable.set(leader, 1);

        // 4. SIGSTOP a node for 10 s, then SIGCONT: it catches up.
        int paused = followerOf(leader());
        usable.set(paused, 0);
        processes.get(paused).pause();
        Thread.sleep(10_000);
        processes.get(paused).resume();
        awaitCatchUp(paused, "node " + paused + " after SIGSTOP/SIGCONT");
        usable.set(paused, 1);

        // 5. wipe one node's data and restart it: it rebuilds from its peers.
        int wiped = (paused + 1) % NODES;
        usable.set(wiped, 0);
        processes.get(wiped).kill9();
        deleteTree(layout.nodes().get(wiped).dataDir());
        processes.get(wiped).start(START_TIMEOUT);
        awaitCatchUp(wiped, "wiped node " + wiped);
        usable.set(wiped, 1);

        submitter.join(300_000);
        assertThat(submitter.isAlive()).as("submitter finished").isFalse();
        assertThat(sent.get()).isEqualTo(ENVELOPES);

        // Clients resubmit what they do not see committed (SUCCESS from Broadcast means queued, not ordered; a
        // node killed with envelopes in its pool loses them). Ordering deduplicates by transaction id.
        Set<String> missing = new LinkedHashSet<>(txIds);
        for (int attempt = 0; attempt < 6 && !missing.isEmpty(); attempt++) {
            awaitSettled();
            missing.removeIf(txId -> Boolean.TRUE.equals(processes.get(0).hasTransaction(CHANNEL, txId)));
            if (!missing.isEmpty()) {
                System.out.printf("resubmitting %d envelopes not committed%n", missing.size());
                List<Envelope> again = new ArrayList<>();
                for (int i = 0; i < txIds.size(); i++) {
                    if (missing.contains(txIds.get(i))) {
                        again.add(envelopes.get(i));
                    }
                }
                broadcast(layout, attempt % NODES, again);
            }
        }
        assertThat(missing).as("every envelope committed").isEmpty();
        awaitSettled();

        for (NodeProcess process : processes) {
            process.stop(Duration.ofSeconds(20));
        }
        assertSameChainWithEveryEnvelopeOnce(layout, Set.copyOf(txIds));
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            // `ledger verify --certificates`: anyone holding the genesis configuration can check every block's BFT
            // commit certificate and the consensus hash links on their own.
            CliTest.Run verify = CliTest.run("ledger", "verify", "--ledger", node.dataDir().resolve("ledgers").toString(),
                    "--channel", CHANNEL, "--certificates");
            assertThat(verify.exitCode()).as("%s: %s%s", node.name(), verify.out(), verify.err()).isZero();
            assertThat(verify.out()).contains("commit certificates verify");
        }
    }

    private List<Envelope> signedEnvelopes(LocalNetwork.Layout layout) {
        List<LocalSigningIdentity> clients = new ArrayList<>();
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            clients.add(LocalSigningIdentity.load(node.userMspDirs().getFirst(), node.mspId()));
        }
        List<Envelope> envelopes = new ArrayList<>(ENVELOPES);
        for (int i = 0; i < ENVELOPES; i++) {
            envelopes.add(TestEnvelopes.write(CHANNEL, clients.get(i % clients.size()), i, 600));
        }
        return envelopes;
    }

    /** Sends every envelope once, in batches, to the usable nodes in turn; failures are left to resubmission. */
    private void submitAll(LocalNetwork.Layout layout, List<Envelope> envelopes, AtomicIntegerArray usable,
            AtomicLong sent) {
        int next = 0;
        for (int from = 0; from < envelopes.size() && submitting.get(); from += SUBMIT_BATCH) {
            int target = -1;
            for (int i = 0; i < NODES && target < 0; i++) {
                int candidate = (next + i) % NODES;
                if (usable.get(candidate) == 1) {
                    target = candidate;
                }
            }
            next = (target + 1) % NODES;
            List<Envelope> batch = envelopes.subList(from, Math.min(envelopes.size(), from + SUBMIT_BATCH));
            try {
                broadcast(layout, target, batch);
            } catch (Exception | AssertionError e) {
                System.out.println("submit to node " + target + " failed: " + e);
            }
            sent.addAndGet(batch.size());
            try {
                Thread.sleep(SUBMIT_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void broadcast(LocalNetwork.Layout layout, int node, List<Envelope> envelopes) throws Exception {
        LocalNetwork.NodeLayout target = layout.nodes().get(node);
        try (BroadcastClient client = new BroadcastClient("127.0.0.1", target.broadcastPort(), target.tlsCaCert())) {
            List<BroadcastResponse> responses = client.broadcast(envelopes, 20_000);
            long refused = responses.stream().filter(r -> r.getStatus() != Status.SUCCESS).count();
            if (refused > 0) {
                System.out.printf("node %d refused %d of %d envelopes (first: %s %s)%n", node, refused,
                        envelopes.size(), responses.stream().filter(r -> r.getStatus() != Status.SUCCESS)
                                .findFirst().map(BroadcastResponse::getStatus).orElseThrow(),
                        responses.stream().filter(r -> r.getStatus() != Status.SUCCESS).findFirst()
                                .map(BroadcastResponse::getInfo).orElseThrow());
            }
        }
    }

    /** The leader of the current round as the first answering node sees it. */
    private int leader() {
        for (NodeProcess process : processes) {
            JsonNode status = process.isAlive() ? process.channelStatus(CHANNEL) : null;
            if (status != null && !status.isMissingNode()) {
                return status.path("leader").asInt();
            }
        }
        throw new IllegalStateException("no node answers /status");
    }

    private static int followerOf(int leader) {
        return (leader + 1) % NODES;
    }

    private static int[] others(int excluded) {
        int[] others = new int[NODES - 1];
        for (int i = 0, j = 0; i < NODES; i++) {
            if (i != excluded) {
                others[j++] = i;
            }
        }
        return others;
    }

    private long minHeight(int... nodes) {
        long min = Long.MAX_VALUE;
        for (int node : nodes) {
            min = Math.min(min, processes.get(node).height(CHANNEL));
        }
        return min;
    }

    private long maxHeight(int... nodes) {
        long max = -1;
        for (int node : nodes) {
            max = Math.max(max, processes.get(node).height(CHANNEL));
        }
        return max;
    }

    /**
     * Waits until the node has caught up and takes part again: its height reaches what the others had when the wait
     * began, its round reaches theirs, and it then commits further blocks with them. (A node that only has the
     * blocks is not yet a consenter the others can count on: the next fault must find three working ones.)
     */
    private void awaitCatchUp(int node, String what) throws InterruptedException {
        long target = minHeight(others(node));
        awaitTrue(CATCH_UP_TIMEOUT, () -> processes.get(node).height(CHANNEL) >= target,
                what + " catches up to height " + target);
        long round = minRound(others(node));
        awaitTrue(CATCH_UP_TIMEOUT, () -> round(node) >= round, what + " reaches round " + round);
        if (!submitter.isAlive()) {
            return; // no more traffic: nothing further to commit
        }
        long height = processes.get(node).height(CHANNEL);
        awaitTrue(CATCH_UP_TIMEOUT, () -> processes.get(node).height(CHANNEL) >= height + 3,
                what + " commits three more blocks with the others");
        // A JVM that just started runs its first seconds interpreted (two cores shared by four nodes and the test):
        // the next fault, with this node among the three that must time out together, should find it warm.
        Thread.sleep(WARM_UP_MILLIS);
    }

    private long round(int node) {
        JsonNode status = processes.get(node).channelStatus(CHANNEL);
        return status == null || status.isMissingNode() ? -1 : status.path("round").asLong(-1);
    }

    private long minRound(int... nodes) {
        long min = Long.MAX_VALUE;
        for (int node : nodes) {
            min = Math.min(min, round(node));
        }
        return min;
    }

    /** Waits until all heights stop changing for two seconds (and agree within the one trailing block). */
    private void awaitSettled() throws InterruptedException {
        long[] last = new long[NODES];
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean changed = false;
            for (int i = 0; i < NODES; i++) {
                long height = processes.get(i).height(CHANNEL);
                changed |= height != last[i];
                last[i] = height;
            }
            if (changed) {
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(2).toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        StringBuilder state = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            NodeProcess process = processes.get(i);
            state.append("\nnode ").append(i).append(": alive=").append(process.isAlive()).append(" status=")
                    .append(process.isAlive() ? process.channelStatus(CHANNEL) : null).append("\n  log tail:\n")
                    .append(process.tail());
        }
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what + state);
    }

    private static void assertSameChainWithEveryEnvelopeOnce(LocalNetwork.Layout layout, Set<String> txIds) {
        List<ChannelLedger> ledgers = new ArrayList<>();
        try {
            for (LocalNetwork.NodeLayout node : layout.nodes()) {
                Path ledgerDir = node.dataDir().resolve("ledgers");
                VerificationResult result = LedgerVerifier.verifyBlocks(ledgerDir, CHANNEL);
                assertThat(result.ok()).as("%s: %s", node.name(), result.describe()).isTrue();
                ledgers.add(ChannelLedger.open(ledgerDir, CHANNEL, LedgerOptions.defaults()));
            }
            long common = ledgers.stream().mapToLong(ChannelLedger::height).min().orElseThrow();
            long highest = ledgers.stream().mapToLong(ChannelLedger::height).max().orElseThrow();
            // A node may hold one more (empty) block: the one whose certificate committed the last payload block.
            assertThat(highest - common).as("heights").isLessThanOrEqualTo(1);
            for (long n = 0; n < common; n++) {
                byte[] reference = BlockHashing.headerHash(ledgers.getFirst().block(n).orElseThrow().getHeader());
                for (int i = 1; i < ledgers.size(); i++) {
                    assertThat(BlockHashing.headerHash(ledgers.get(i).block(n).orElseThrow().getHeader()))
                            .as("block %d of node %d", n, i).isEqualTo(reference);
                }
            }
            Map<String, Integer> ordered = new HashMap<>();
            ChannelLedger ledger = ledgers.stream().max(Comparator.comparingLong(ChannelLedger::height)).orElseThrow();
            for (long n = 1; n < ledger.height(); n++) {
                Block block = ledger.block(n).orElseThrow();
                for (var data : block.getData().getDataList()) {
                    ordered.merge(TransactionParser.parse(parseEnvelope(data)).txId(), 1, Integer::sum);
                }
            }
            assertThat(ordered.keySet()).as("every envelope ordered").containsAll(txIds);
            assertThat(ordered.values()).as("no envelope ordered twice").allMatch(count -> count == 1);
            System.out.printf("%d blocks, %d envelopes, each once, same chain on all %d nodes%n", ledger.height(),
                    ordered.size(), NODES);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            ledgers.forEach(ChannelLedger::close);
        }
    }

    private static Envelope parseEnvelope(com.google.protobuf.ByteString bytes) {
        try {
            return Envelope.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("a block holds bytes that are no envelope", e);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

}
