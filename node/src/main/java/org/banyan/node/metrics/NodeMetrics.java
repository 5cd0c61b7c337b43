package org.banyan.node.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.banyan.crypto.sign.SignatureCounters;
import org.banyan.ledger.lifecycle.LifecycleNamespace;
import org.banyan.node.chaincode.ChaincodeExecutor;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.consensus.BlockCommitListener;
import org.banyan.node.consensus.ChannelConsensus;
import org.banyan.node.endorser.Endorser;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The node's metrics (listed in {@code docs/node.md}, "Metrics"): one instance per node, created by {@code Node},
 * which hands its pieces to the components it wires — a {@link BlockCommitListener} per channel, an endorser
 * {@link Endorser.Observer}, a counting {@link ChaincodeExecutor}, a Broadcast observer — and serves
 * {@link #registry()} at {@code /metrics}. Other components add their own metrics to the same registry.
 *
 * <p><b>Bounded labels.</b> Channel and chaincode names in requests come from clients, so they are folded before
 * they become labels: a channel this node hosts keeps its name ({@link #CHANNELS_MAX} at most), any other becomes
 * {@value #OTHER}, none at all {@code ""}; a chaincode keeps its name once this node has executed it (it was
 * committed, approved and installed; {@link #CHAINCODE_NAMES_MAX} names at most, {@code _lifecycle} included),
 * any other becomes {@value #OTHER}. The largest metric, the endorsement histogram, then has at most
 * (64 + 2) × (32 + 1) × 3 = 6,534 series, under {@link #SERIES_PER_METRIC_MAX}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class NodeMetrics {
    /** Label combinations per metric at most (the registry's limit; see the class comment for the arithmetic). */
    public static final int SERIES_PER_METRIC_MAX = 10_000;
    /** Hosted channels with a label of their own; more are counted as {@value #OTHER}. */
    public static final int CHANNELS_MAX = 64;
    /** Chaincode names with a label of their own; later ones are counted as {@value #OTHER}. */
    public static final int CHAINCODE_NAMES_MAX = 32;
    /** The label value of a channel or chaincode folded away. */
    public static final String OTHER = "other";
    /** Transactions per block: from empty blocks (consensus commits them) to the largest batches. */
    public static final List<Double> BLOCK_TRANSACTIONS_BUCKETS = List.of(0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0,
            100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0);

    private static final System.Logger LOG = System.getLogger(NodeMetrics.class.getName());

    private final MetricsRegistry registry = new MetricsRegistry(SERIES_PER_METRIC_MAX);
    /** Hosted channels that have a label of their own; at most {@link #CHANNELS_MAX}. */
    private final Set<String> labelledChannels = ConcurrentHashMap.newKeySet();
    private final BoundedLabelValues chaincodes = new BoundedLabelValues(CHAINCODE_NAMES_MAX, OTHER);

    private final Gauge ledgerHeight = registry.gauge("banyan_ledger_height",
            "Blocks in the channel's ledger, genesis included: the number of the next block.", "channel");
    private final Gauge consensusRound = registry.gauge("banyan_consensus_round",
            "The consensus round this node's replica is in.", "channel");
    private final Gauge consensusLeader = registry.gauge("banyan_consensus_leader",
            "The leader of the current round: its consenter index (0-based, in the channel's consenter order).",
            "channel");
    private final Gauge consensusRunning = registry.gauge("banyan_consensus_running",
            "1 while the channel's consensus and ledger writer run, 0 after either stopped.", "channel");
    private final Counter transactions = registry.counter("banyan_transactions_total",
            "Transactions committed to the ledger, by Fabric validation code (TxValidationCode).", "channel", "code");
    private final Histogram blockCommitDuration = registry.histogram("banyan_block_commit_duration_seconds",
            "Time to validate one block and write it to the ledger.", Histogram.LATENCY_BUCKETS_SECONDS, "channel");
    private final Histogram blockTransactions = registry.histogram("banyan_block_transactions",
            "Transactions per committed block (empty blocks included).", BLOCK_TRANSACTIONS_BUCKETS, "channel");
    private final Histogram endorsementDuration = registry.histogram("banyan_endorsement_duration_seconds",
            "Time from receiving a proposal to answering it; status ok (below 400), error (400 or more) or refused "
                    + "(no response: malformed, duplicate, access denied).",
            Histogram.LATENCY_BUCKETS_SECONDS, "channel", "chaincode", "status");
    private final Counter chaincodeCalls = registry.counter("banyan_chaincode_calls_total",
            "Chaincode executions for endorsements; status ok (below 400), error (400 or more) or failed (no "
                    + "response: not running, timed out).", "channel", "chaincode", "status");
    private final Counter broadcastEnvelopes = registry.counter("banyan_broadcast_envelopes_total",
            "Envelopes answered by Broadcast, by Fabric status (SUCCESS: queued for ordering).", "channel", "status");

    private final Histogram gatewayDuration = registry.histogram("banyan_gateway_request_duration_seconds",
            "Time to answer one Fabric gateway call (Evaluate, Endorse, Submit, CommitStatus — the last includes the "
                    + "wait for the commit), by method and gRPC status code.",
            Histogram.LATENCY_BUCKETS_SECONDS, "method", "code");

    private final Gauge signatureOperations = registry.gauge("banyan_signature_operations",
            "Signature operations this process performed since it started (cumulative): op verify or sign; a "
                    + "memoised verdict is not counted. Per process: in-process test networks share one count.",
            "op");

    public NodeMetrics() {
        chaincodes.of(LifecycleNamespace.NAME);
        signatureOperations.labels("verify").readFrom(() -> (double) SignatureCounters.verifications());
        signatureOperations.labels("sign").readFrom(() -> (double) SignatureCounters.signatures());
    }

    /** The registry {@code /metrics} serves; add a component's own metrics to it. */
    public MetricsRegistry registry() {
        return registry;
    }

    /**
     * A hosted channel: its gauges read the ledger height and the consensus status at each scrape. Call once per
     * channel, before it starts; past {@link #CHANNELS_MAX} channels the channel has no gauges and counts as
     * {@value #OTHER}.
     */
    public void watch(String channelId, LongSupplier height, Supplier<ChannelConsensus.Status> status) {
        if (labelledChannels.size() >= CHANNELS_MAX) {
            LOG.log(System.Logger.Level.WARNING, "channel {0}: metrics label the first {1} channels only; it is "
                    + "counted as ''{2}''", channelId, CHANNELS_MAX, OTHER);
            return;
        }
        labelledChannels.add(channelId);
        ledgerHeight.labels(channelId).readFrom(height::getAsLong);
        consensusRound.labels(channelId).readFrom(() -> status.get().round());
        consensusLeader.labels(channelId).readFrom(() -> status.get().leader());
        consensusRunning.labels(channelId).readFrom(() -> status.get().running() ? 1 : 0);
    }

    /** The channel label of a channel ID from anywhere: itself when hosted, {@value #OTHER}, or "" for none. */
    public String channelLabel(String channelId) {
        return channelId.isEmpty() || labelledChannels.contains(channelId) ? channelId : OTHER;
    }

    /** The chaincode label of a name from anywhere: itself once executed here, else {@value #OTHER}. */
    public String chaincodeLabel(String chaincodeName) {
        return chaincodes.ifAdmitted(chaincodeName);
    }

    /**
     * The channel's commit listener: passes each block on to {@code next}, then counts its transactions by
     * validation code and observes its commit time and size.
     */
    public BlockCommitListener commitListener(String channelId, Consumer<Block> next) {
        return (block, commitNanos) -> {
            next.accept(block);
            String channel = channelLabel(channelId);
            blockCommitDuration.labels(channel).observe(seconds(commitNanos));
            blockTransactions.labels(channel).observe(block.getData().getDataCount());
            countByCode(block).forEach((code, count) -> transactions.labels(channel, code.name()).add(count));
        };
    }

    /** How many of the block's transactions have each validation code (its TRANSACTIONS_FILTER). */
    static Map<TxValidationCode, Long> countByCode(Block block) {
        Map<TxValidationCode, Long> counts = new EnumMap<>(TxValidationCode.class);
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            counts.merge(Blocks.validationCode(block, i), 1L, Long::sum);
        }
        return counts;
    }

    /** An endorser observer: the endorsement histogram. */
    public void endorsed(Endorser.Processed processed) {
        endorsementDuration.labels(channelLabel(processed.channelId()), chaincodeLabel(processed.chaincodeName()),
                processed.outcome().name().toLowerCase(Locale.ROOT)).observe(seconds(processed.durationNanos()));
    }

    /**
     * {@code executor}, counting each execution by how it ended. The executor runs only chaincode the endorser
     * resolved (committed, approved, installed), so its names are the ones admitted as labels.
     */
    public ChaincodeExecutor countingCalls(ChaincodeExecutor executor) {
        return (chaincodeName, registeredId, input, context, simulator) -> {
            String status = "failed";
            try {
                ChaincodeResult result = executor.execute(chaincodeName, registeredId, input, context, simulator);
                status = result.response().getStatus() < 400 ? "ok" : "error";
                return result;
            } finally {
                chaincodeCalls.labels(channelLabel(context.channelId()), chaincodes.of(chaincodeName), status)
                        .increment();
            }
        };
    }

    /** A gateway observer: each unary call's duration by method and outcome. */
    public void gatewayAnswered(String method, io.grpc.Status.Code code, long durationNanos) {
        gatewayDuration.labels(method, code.name()).observe(seconds(durationNanos));
    }

    /** A Broadcast observer: envelopes by channel and Fabric status. */
    public void broadcastAnswered(String channelId, Status status) {
        broadcastEnvelopes.labels(channelLabel(channelId), status.name()).increment();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
