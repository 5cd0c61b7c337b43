package org.banyan.node.consensus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.CommittedTip;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.LeaderSchedule;
import org.banyan.consensus.Message;
import org.banyan.consensus.Payload;
import org.banyan.consensus.PayloadValidator;
import org.banyan.consensus.Replica;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.SignatureVerifier;
import org.banyan.consensus.VoteSigner;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;

/**
 * n drivers in one JVM joined by an in-memory {@link Transport} that hands real codec bytes to the receiver's
 * {@link ConsensusDriver#onFrame}. Each transport call also checks persist-before-send: a vote or timeout this
 * replica signed leaves only when its store already holds a {@code lastVotedRound} covering it.
 */
final class InMemoryCluster implements AutoCloseable {
    final ConsensusConfig config;
    final WireCodec codec;
    final List<ConsensusDriver> drivers = new ArrayList<>();
    final List<SafetyStore> stores = new ArrayList<>();
    final List<List<Actions.Commit>> commits = new ArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    InMemoryCluster(ConsensusConfig config, Path dir, List<VoteSigner> signers, SignatureVerifier verifier)
            throws CorruptStateException {
        this(config, dir, signers, verifier, i -> commit -> {});
    }

    /** @param sinks replica id → a sink that also receives every commit (after it is recorded) */
    InMemoryCluster(ConsensusConfig config, Path dir, List<VoteSigner> signers, SignatureVerifier verifier,
            IntFunction<CommitSink> sinks) throws CorruptStateException {
        this.config = config;
        this.codec = new WireCodec(CodecLimits.from(config));
        int n = config.replicaCount();
        SafetyStateCodec stateCodec = new SafetyStateCodec(CodecLimits.from(config));
        for (int i = 0; i < n; i++) {
            ReplicaId self = new ReplicaId(i);
            SafetyStore store = new SafetyStore(dir.resolve("replica" + i + ".safety"), stateCodec,
                    config.treeBlocksMax());
            List<Actions.Commit> sink = Collections.synchronizedList(new ArrayList<>());
            CommitSink extra = sinks.apply(i);
            Replica replica = new Replica(self, config, signers.get(i), verifier, PayloadValidator.acceptAll(),
                    LeaderSchedule.roundRobin(n));
            stores.add(store);
            commits.add(sink);
            drivers.add(new ConsensusDriver("test-" + i, replica, n, store, codec, (to, frame) -> deliver(self, to,
                    frame), commit -> {
                        sink.add(commit);
                        extra.deliver(commit);
                    }, () -> System.nanoTime() / 1_000_000, LedgerChain.Recovered.genesis(),
                    10_000));
        }
        for (ConsensusDriver driver : drivers) {
            driver.start();
        }
    }

    private void deliver(ReplicaId from, ReplicaId to, byte[] frame) {
        checkPersistedBeforeSend(from, frame);
        drivers.get(to.value()).onFrame(from, frame);
    }

    /** Runs on the sender's event-loop thread, the thread that owns its store. */
    private void checkPersistedBeforeSend(ReplicaId from, byte[] frame) {
        Message message;
        try {
            message = codec.decode(frame);
        } catch (MalformedMessageException e) {
            violations.add("sent malformed bytes: " + e.getMessage());
            return;
        }
        long signedRound = switch (message) {
            case Message.Vote v when v.voter().equals(from) -> v.voteData().round().value();
            case Message.Timeout t when t.author().equals(from) -> t.round().value();
            default -> -1;
        };
        long persisted = stores.get(from.value()).state().lastVotedRound().value();
        if (signedRound > persisted) {
            violations.add(from + " sent a signature for round " + signedRound + " with " + persisted + " persisted");
        }
    }

    /** The payload ids replica {@code i} committed, in commit order. */
    List<String> committedPayloadIds(int i) {
        List<String> ids = new ArrayList<>();
        synchronized (commits.get(i)) {
            for (Actions.Commit commit : commits.get(i)) {
                for (Block block : commit.blocks()) {
                    for (Payload payload : block.payloads()) {
                        ids.add(payload.payloadId());
                    }
                }
            }
        }
        return ids;
    }

    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return org.banyan.node.Await.until(timeout, condition);
    }

    @Override
    public void close() {
        for (ConsensusDriver driver : drivers) {
            driver.close();
        }
    }
}
