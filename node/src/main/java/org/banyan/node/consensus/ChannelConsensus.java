package org.banyan.node.consensus;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.LeaderSchedule;
import org.banyan.consensus.Payload;
import org.banyan.consensus.PayloadValidator;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.Replica;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.VoteSigner;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.protocol.config.ChannelConfig;

/**
 * One channel's ordering on this node: the ledger, the consensus driver that commits into it, and state transfer
 * that brings the ledger up to the peers' when consensus alone cannot.
 *
 * <p>{@link #start()} first pulls whatever committed blocks the peers have beyond the ledger (a node restarted after
 * a while, or on an empty disk, catches up from genesis), then starts a driver from the ledger's tip. While it runs,
 * a peer that shows a valid certificate at least {@code lagBlocksMin} blocks above the ledger's tip (further than
 * the core's in-memory sync can serve) makes this node stop the driver, transfer state and start a new driver from
 * the new tip — on a thread of its own ({@code banyan-transfer-<channel>}), one transfer at a time. A restart loses
 * the replica's pending payloads, as a crash would; clients resubmit what they do not see committed.
 */
public final class ChannelConsensus implements ReplicaFrameSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChannelConsensus.class.getName());
    /** Inputs the driver's queue holds. */
    static final int QUEUE_INPUTS_MAX = 100_000;
    /** Blocks asked for in one state-transfer request. */
    static final int BLOCKS_PER_FETCH = 256;
    /** Commits waiting for the ledger writer at most; consensus waits beyond. */
    static final int QUEUED_COMMITS_MAX = 32;

    /** Everything a channel's ordering is built from. */
    public record Parts(String nodeName, ChannelConfig channel, ChannelLedger ledger, int self, ConsensusConfig config,
            VoteSigner signer, MspSignatureVerifier verifier, PayloadValidator validator,
            ConsensusDriver.PayloadPrecheck precheck, BlockValidator blockValidator,
            BlockCommitListener blockCommitted, Transport transport,
            StateTransfer.PeerBlocks peers, Path safetyFile, LongSupplier nowMillis, int lagBlocksMin) {}

    private final Parts parts;
    private final WireCodec codec;
    private final SafetyStateCodec safetyCodec;
    private final LedgerCommitSink sink;
    private final AsyncCommitSink ledgerWriter;
    private final StateTransfer transfer;
    private final Certificates lagCertificates;
    private final ExecutorService transferThread;
    private final AtomicBoolean transferring = new AtomicBoolean();
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong blocksTransferred = new AtomicLong();
    private final AtomicLong driverRestarts = new AtomicLong();
    private final Object heightMonitor = new Object();
    private volatile ConsensusDriver driver;
    private volatile boolean closed;

    public ChannelConsensus(Parts parts) {
        this.parts = parts;
        CodecLimits limits = CodecLimits.from(parts.config());
        this.codec = new WireCodec(limits);
        this.safetyCodec = new SafetyStateCodec(limits);
        this.sink = new LedgerCommitSink(parts.ledger(), parts.channel(), codec, parts.blockValidator(),
                parts.blockCommitted());
        this.ledgerWriter = new AsyncCommitSink(new CommitSink() {
            @Override
            public void deliver(org.banyan.consensus.Actions.Commit commit) {
                sink.deliver(commit);
                signalCommitted();
            }

            @Override
            public long durableHeight() {
                return sink.durableHeight();
            }
        }, parts.nodeName() + "-" + channelId(), QUEUED_COMMITS_MAX);
        this.transfer = new StateTransfer(parts.ledger(), sink, codec,
                new Certificates(parts.config(), parts.verifier()), parts.config().replicaCount(), parts.self(),
                BLOCKS_PER_FETCH);
        this.lagCertificates = new Certificates(parts.config(), parts.verifier());
        this.transferThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "banyan-transfer-" + parts.channel().channelId());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String channelId() {
        return parts.channel().channelId();
    }

    /**
     * Catches up from the peers, then starts consensus from the ledger's tip.
     *
     * @throws CorruptStateException when the safety state on disk cannot be trusted (the channel does not start)
     */
    public synchronized void start() throws CorruptStateException {
        catchUp();
        startDriver();
    }

    private void catchUp() {
        if (parts.config().replicaCount() == 1) {
            return;
        }
        StateTransfer.Result result = transfer.catchUp(parts.peers());
        signalCommitted();
        transfers.incrementAndGet();
        blocksTransferred.addAndGet(result.blocksCommitted());
        if (result.blocksCommitted() > 0) {
            LOG.log(System.Logger.Level.INFO, "{0}/{1}: state transfer committed {2} blocks, height {3}",
                    parts.nodeName(), channelId(), result.blocksCommitted(), result.heightAfter());
        }
    }

    /** A tenth of the round timeout, at least 20 ms: enough for the surviving replicas' timeouts to meet. */
    static long unreachableLeaderTimeoutMillis(ConsensusConfig config) {
        return Math.max(20, config.roundTimeoutMillis() / 10);
    }

    private void startDriver() throws CorruptStateException {
        ConsensusConfig config = parts.config();
        LeaderSchedule leaders = LeaderSchedule.roundRobin(config.replicaCount());
        Replica replica = new Replica(new ReplicaId(parts.self()), config, parts.signer(), parts.verifier(),
                parts.validator(), leaders);
        LedgerChain.Recovered start = LedgerChain.recover(parts.ledger(), codec, config.retainedBlocksMax());
        ConsensusDriver next = new ConsensusDriver(parts.nodeName() + "-" + channelId(), replica,
                config.replicaCount(), new SafetyStore(parts.safetyFile(), safetyCodec, config.treeBlocksMax()), codec,
                parts.transport(), ledgerWriter, parts.nowMillis(), start, QUEUE_INPUTS_MAX);
        next.onLag((from, qc) -> onCertifiedAhead(next, from, qc));
        next.onPayloads(parts.precheck());
        next.shortenTimersOfUnreachableLeaders(leaders, unreachableLeaderTimeoutMillis(config));
        next.start();
        driver = next;
    }

    /** Hands a payload to consensus; false when the driver is down or its queue is full. */
    public boolean submit(Payload payload) {
        ConsensusDriver current = driver;
        return current != null && current.submit(payload);
    }

    @Override
    public void onFrame(ReplicaId from, byte[] frame) {
        ConsensusDriver current = driver;
        if (current != null) {
            current.onFrame(from, frame);
        }
    }

    private void onCertifiedAhead(ConsensusDriver source, ReplicaId from, QuorumCert qc) {
        // Only the current, running driver speaks for this replica (a driver being replaced still sees frames), and
        // lag counts from its committed height, not the ledger's: the ledger writer may trail by a few commits.
        if (source != driver || !source.isRunning()) {
            return;
        }
        long lagBlocks = qc.height().value() - source.committedHeight();
        if (closed || lagBlocks < parts.lagBlocksMin() || transferring.get()) {
            return;
        }
        boolean valid;
        synchronized (lagCertificates) {
            valid = lagCertificates.validQc(qc);
        }
        if (!valid || !transferring.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}/{1}: replica {2} shows a certificate {3} blocks ahead; transferring state",
                parts.nodeName(), channelId(), from, lagBlocks);
        transferThread.execute(this::restartWithTransfer);
    }

    private void restartWithTransfer() {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                driver.close();
                if (!ledgerWriter.drain(ConsensusDriver.CLOSE_TIMEOUT_MILLIS)) {
                    throw new IllegalStateException("the ledger writer did not finish in time");
                }
                catchUp();
                startDriver();
                driverRestarts.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CorruptStateException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, parts.nodeName() + "/" + channelId()
                    + ": could not restart consensus after state transfer", e);
        } finally {
            transferring.set(false);
        }
    }

    /** A snapshot for status pages. */
    public record Status(String channelId, long height, long round, int leader, int self, boolean running,
            long steps, int queuedInputs, long framesDroppedQueueFull, long framesMalformed, long payloadsDropped,
            long transfers, long blocksTransferred, long driverRestarts, String failure) {}

    public Status status() {
        ConsensusDriver current = driver;
        long round = current == null ? 0 : current.currentRound();
        boolean writing = ledgerWriter.failure() == null;
        Throwable failure = current == null ? null : current.failure();
        if (failure == null) {
            failure = ledgerWriter.failure();
        }
        return new Status(channelId(), parts.ledger().height(), round,
                (int) (round % parts.config().replicaCount()), parts.self(),
                writing && current != null && current.isRunning(), current == null ? 0 : current.steps(), current == null ? 0 : current.queuedInputs(),
                current == null ? 0 : current.framesDroppedQueueFull(), current == null ? 0 : current.framesMalformed(),
                current == null ? 0 : current.payloadsDropped(), transfers.get(), blocksTransferred.get(), driverRestarts.get(),
                failure == null ? null : failure.toString());
    }

    /** The channel's ledger (reads are safe from any thread). */
    public ChannelLedger ledger() {
        return parts.ledger();
    }

    private void signalCommitted() {
        synchronized (heightMonitor) {
            heightMonitor.notifyAll();
        }
    }

    /** Waits until the ledger's height exceeds {@code number} or {@code timeoutMillis} pass (Deliver streams). */
    public void awaitHeightAbove(long number, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (heightMonitor) {
            long leftNanos;
            while (parts.ledger().height() <= number && (leftNanos = deadline - System.nanoTime()) > 0) {
                heightMonitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
            }
        }
    }

    /** The running driver (for counters), or null before start. */
    public ConsensusDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        closed = true;
        transferThread.shutdownNow();
        try {
            transferThread.awaitTermination(ConsensusDriver.CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (driver != null) {
                driver.close();
            }
            ledgerWriter.close();
        }
    }
}
