package org.banyan.consensus;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.WireCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Consensus message handling as the node's driver does it for a frame from a peer: {@link WireCodec#decode} and
 * {@link Replica#step} — for a proposal (check the parent QC's 2f+1 ECDSA signatures, insert, check the payloads,
 * persist-and-sign a vote) or a vote (check its signature; the one completing a quorum forms the QC and proposes
 * the next block). Encoding and sending the returned actions, and persisting, are the node's and not measured.
 *
 * <p>The traffic is real: a 4-replica {@link RecordedCluster} with ECDSA P-256 keys runs in the trial's setup,
 * and replica 1's inputs are recorded. Before each invocation the benchmark's own replica 1 is fed, unmeasured,
 * everything up to the next message of the wanted kind; at the end of the recording it starts again from
 * genesis. Payload validation accepts everything here (for the node it is the envelope check, measured by the
 * crypto and ledger benchmarks), so a proposal's cost is the consensus core's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplicaStepBenchmark {
    private static final ReplicaId OBSERVED = new ReplicaId(1);
    private static final int REPLICAS = 4;
    /** Messages of each kind recorded: enough rounds that a 1 s iteration rarely restarts from genesis. */
    private static final int RECORDED_PER_KIND = 200;

    /** Which message is measured: {@code Proposal} or {@code Vote}. */
    @Param({"Proposal", "Vote"})
    public String message;

    /** Payloads per client batch, so per proposal: a small block keeps the recording short. */
    @Param("10")
    public int payloadsPerBlock;

    /** About the smallest signed Fabric envelope with a generated certificate (docs/node.md). */
    @Param("2048")
    public int payloadBytes;

    private RecordedCluster cluster;
    private WireCodec codec;
    private Class<? extends Message> measured;
    private List<RecordedCluster.Input> inputs;
    private Replica replica;
    private int next;
    private Event.MessageReceived pending;
    private byte[] pendingFrame;

    @Setup(Level.Trial)
    public void record() throws MalformedMessageException {
        measured = switch (message) {
            case "Proposal" -> Message.Proposal.class;
            case "Vote" -> Message.Vote.class;
            default -> throw new IllegalArgumentException("message=" + message + ": Proposal or Vote");
        };
        cluster = new RecordedCluster(REPLICAS);
        codec = cluster.codec();
        inputs = cluster.record(OBSERVED, payloadsPerBlock, payloadBytes, RECORDED_PER_KIND, List.of(measured));
        restart();
    }

    /** Feeds the replica everything before the next measured message, unmeasured. */
    @Setup(Level.Invocation)
    public void advance() {
        while (true) {
            if (next == inputs.size()) {
                restart();
            }
            RecordedCluster.Input input = inputs.get(next++);
            if (input.carries(measured)) {
                pending = (Event.MessageReceived) input.event();
                pendingFrame = input.frame();
                return;
            }
            replica.step(input.event());
        }
    }

    @Benchmark
    public Actions decodeAndStep() throws MalformedMessageException {
        return replica.step(new Event.MessageReceived(pending.nowMillis(), pending.from(), codec.decode(pendingFrame)));
    }

    private void restart() {
        replica = cluster.start(OBSERVED);
        next = 0;
    }
}
