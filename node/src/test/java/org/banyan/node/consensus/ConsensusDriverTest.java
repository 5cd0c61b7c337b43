package org.banyan.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.consensus.Actions;
import org.banyan.consensus.CommittedTip;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.LeaderSchedule;
import org.banyan.consensus.Payload;
import org.banyan.consensus.PayloadValidator;
import org.banyan.consensus.Replica;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One replica (n = 1) on a fake clock: ordering of effects, malformed input, faults. */
class ConsensusDriverTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<Actions.Commit> commits = Collections.synchronizedList(new ArrayList<>());
    private final List<String> effects = Collections.synchronizedList(new ArrayList<>());
    private SafetyStore store;
    private ConsensusDriver driver;

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
    }

    private ConsensusDriver driver(CommitSink sink) {
        store = new SafetyStore(dir.resolve("ch.safety"), new SafetyStateCodec(CodecLimits.from(CONFIG)),
                CONFIG.treeBlocksMax());
        Replica replica = new Replica(new ReplicaId(0), CONFIG, message -> new byte[] {1}, (s, m, sig) -> true,
                PayloadValidator.acceptAll(), LeaderSchedule.roundRobin(1));
        return new ConsensusDriver("unit", replica, 1, store, new WireCodec(CodecLimits.from(CONFIG)),
                (to, frame) -> effects.add("send"), sink, clock::get, LedgerChain.Recovered.genesis(), 16);
    }

    private static Payload payload(String id) {
        return new Payload(id, id.getBytes(StandardCharsets.UTF_8));
    }

    /** The committed payload ids; the list is read under its lock (the driver's thread appends to it). */
    private List<String> committedIds() {
        synchronized (commits) {
            return commits.stream().flatMap(c -> c.blocks().stream()).flatMap(b -> b.payloads().stream())
                    .map(org.banyan.consensus.Payload::payloadId).toList();
        }
    }

    private int committedPayloads() {
        synchronized (commits) {
            return commits.stream().flatMap(c -> c.blocks().stream()).mapToInt(b -> b.payloads().size()).sum();
        }
    }

    @Test
    void commitsSubmittedPayloadsAfterPersistingTheirVotes() throws Exception {
        driver = driver(commit -> {
            effects.add("commit saves=" + store.saves());
            commits.add(commit);
        });
        driver.start();
        assertThat(driver.submit(payload("a"))).isTrue();
        assertThat(driver.submit(payload("b"))).isTrue();

        assertThat(InMemoryCluster.await(WAIT, () -> committedPayloads() == 2)).isTrue();
        assertThat(store.saves()).isPositive();
        assertThat(effects).noneMatch(e -> e.equals("commit saves=0"));
        // The vote behind the commit is on disk: a restarted store sees the same state.
        SafetyStore reopened = new SafetyStore(store.file(), new SafetyStateCodec(CodecLimits.from(CONFIG)),
                CONFIG.treeBlocksMax());
        assertThat(reopened.load().state().lastVotedRound().value()).isPositive();
        assertThat(driver.committedHeight()).isEqualTo(commits.getLast().blocks().getLast().height().value());
        assertThat(committedIds()).containsExactly("a", "b");
    }

    @Test
    void malformedFramesAreDroppedAndCountedAndTheLoopGoesOn() throws Exception {
        driver = driver(commits::add);
        driver.start();
        driver.onFrame(new ReplicaId(0), new byte[] {1, 99, 0});
        driver.onFrame(new ReplicaId(0), new byte[0]);
        assertThat(driver.framesMalformed()).isEqualTo(2);

        assertThat(driver.submit(payload("after"))).isTrue();
        assertThat(InMemoryCluster.await(WAIT, () -> committedPayloads() == 1)).isTrue();
        assertThat(driver.isRunning()).isTrue();
        assertThat(driver.failure()).isNull();
    }

    @Test
    void anAssertionErrorStopsTheDriverLoudly() throws Exception {
        driver = driver(commit -> {
            throw new AssertionError("planted bug");
        });
        driver.start();
        driver.submit(payload("x"));

        assertThat(InMemoryCluster.await(WAIT, () -> !driver.isRunning())).isTrue();
        assertThat(driver.failure()).isInstanceOf(AssertionError.class).hasMessage("planted bug");
        assertThat(driver.submit(payload("y"))).isFalse();
    }

    @Test
    void aCorruptSafetyFileKeepsTheDriverFromStarting() throws Exception {
        Files.write(dir.resolve("ch.safety"), new byte[] {'B', 'S', 'S', '1', 1, 2, 3, 4, 5, 6, 7, 8});
        driver = driver(commits::add);
        assertThatThrownBy(driver::start).isInstanceOf(CorruptStateException.class);
        assertThat(driver.isRunning()).isFalse();
    }

    @Test
    void aFullQueueRejectsSubmissionsWithoutBlocking() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        driver = driver(commit -> {
            commits.add(commit);
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS); // holds the loop: the queue fills up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        driver.start();
        driver.submit(payload("first"));
        assertThat(InMemoryCluster.await(WAIT, () -> !commits.isEmpty())).isTrue();
        int accepted = 0;
        for (int i = 0; i < 100 && driver.submit(payload("p" + i)); i++) {
            accepted++;
        }
        assertThat(accepted).isEqualTo(16);
        assertThat(driver.payloadsDropped()).isEqualTo(1);
        release.countDown();
        assertThat(InMemoryCluster.await(WAIT, () -> committedPayloads() == 17)).isTrue();
    }

    @Test
    void submissionsBeforeStartAreRejected() {
        driver = driver(commits::add);
        assertThat(driver.submit(payload("p"))).isFalse();
    }

    @Test
    void aRestartedDriverResumesFromItsSafetyFile() throws Exception {
        driver = driver(commits::add);
        driver.start();
        driver.submit(payload("before"));
        assertThat(InMemoryCluster.await(WAIT, () -> committedPayloads() == 1)).isTrue();
        driver.close();
        org.banyan.consensus.SafetyState persisted = store.state();

        commits.clear();
        clock.addAndGet(10_000);
        driver = driver(commits::add);
        driver.start();
        assertThat(store.state().lastVotedRound()).isGreaterThanOrEqualTo(persisted.lastVotedRound());
        driver.submit(payload("after"));
        assertThat(InMemoryCluster.await(WAIT, () -> committedIds().contains("after"))).isTrue();
        assertThat(driver.failure()).isNull();
        assertThat(store.state().lastVotedRound()).isGreaterThan(persisted.lastVotedRound());
    }
}
