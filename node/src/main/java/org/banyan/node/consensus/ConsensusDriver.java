package org.banyan.node.consensus;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.CommittedTip;
import org.banyan.consensus.Event;
import org.banyan.consensus.Height;
import org.banyan.consensus.Message;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.Replica;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.Round;
import org.banyan.consensus.SafetyState;
import org.banyan.consensus.TimerId;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;

/**
 * Runs one channel's {@link Replica} on a single event-loop thread {@code banyan-consensus-<name>}.
 *
 * <p>Inputs — frames from the transport ({@link #onFrame}), payloads ({@link #submit}) and expired timers — go
 * through one bounded queue ({@code queueInputsMax}); when it is full a frame or payload is dropped and counted
 * and the caller never blocks (a timer retries shortly, since a lost timer could stall the replica). Frames are
 * decoded with {@link WireCodec} on the caller's thread; malformed ones are dropped and counted.
 *
 * <p>For each {@link Actions}, in the order the core requires: save the safety state and blocks through the
 * {@link SafetyStore} (fsync) before anything is sent; deliver commits to the {@link CommitSink}; send through the
 * {@link Transport}; arm timers on a {@link ScheduledExecutorService} (thread {@code banyan-consensus-timer-<name>}).
 *
 * <p>An {@link Error} from the core (an {@code AssertionError} is a bug) or an exception from the store (disk
 * failure) stops the driver: the loop ends, {@link #failure()} holds the cause, and the thrown error propagates to
 * the thread's uncaught-exception handler. It is never swallowed.
 */
public final class ConsensusDriver implements ReplicaFrameSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsensusDriver.class.getName());
    /** How long a timer waits before retrying when the queue is full. */
    static final long TIMER_RETRY_MILLIS = 5;
    /** How long {@link #close()} waits for each thread. */
    static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    /** Bytes of received frames waiting (precheck or queue) at most; past it frames are dropped and counted. */
    static final long QUEUE_BYTES_MAX = 64L << 20;
    /** Submitted payloads taken into one step at most. */
    static final int SUBMITTED_PER_STEP_MAX = 1_000;

    private sealed interface Input {}

    private record Received(ReplicaId from, Message message, int frameBytes) implements Input {}

    private record Fired(TimerId timerId) implements Input {}

    private record Submitted(Payload payload) implements Input {}

    private record Stop() implements Input {}

    private final String name;
    private final Replica replica;
    private final SafetyStore store;
    private final WireCodec codec;
    private final Transport transport;
    private final CommitSink sink;
    private final LongSupplier nowMillis;
    private final int replicaCount;
    private final LedgerChain.Recovered start;
    private final BlockingQueue<Input> queue;

    private final AtomicLong framesMalformed = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong framesDroppedQueueFull = new AtomicLong();
    private final AtomicLong payloadsDropped = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong committedHeight = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private volatile boolean running;
    private volatile long currentRound;
    private volatile LagListener lagListener = (from, qc) -> {};
    private volatile PayloadPrecheck payloadPrecheck = payloads -> CompletableFuture.completedFuture(null);
    private volatile CommittedTip committedTip;
    private Thread loop;
    private ScheduledExecutorService timers;
    /** Who leads each round, to shorten timers of rounds whose leaders are unreachable; null: never shorten. */
    private volatile org.banyan.consensus.LeaderSchedule leaders;
    private volatile long unreachableLeaderTimeoutMillis;
    private long lastNowMillis;

    /**
     * @param name for thread names and logs, e.g. the channel ID and replica
     * @param replica a fresh replica (not started); the driver becomes its only caller
     * @param replicaCount n; broadcasts go to every replica id in {@code [0, n)} except this one
     * @param start the ledger's committed tip, the blocks ending at it and the tip's commit certificate
     *     ({@link LedgerChain#recover}; {@link LedgerChain.Recovered#genesis()} for an empty ledger)
     * @param nowMillis monotonic-enough clock; the driver never lets time go back between steps
     * @param queueInputsMax bound of the input queue
     */
    public ConsensusDriver(String name, Replica replica, int replicaCount, SafetyStore store, WireCodec codec,
            Transport transport, CommitSink sink, LongSupplier nowMillis, LedgerChain.Recovered start,
            int queueInputsMax) {
        this.name = name;
        this.replica = replica;
        this.replicaCount = replicaCount;
        this.store = store;
        this.codec = codec;
        this.transport = transport;
        this.sink = sink;
        this.nowMillis = nowMillis;
        this.start = start;
        this.committedTip = start.tip();
        this.queue = new ArrayBlockingQueue<>(queueInputsMax);
    }

    /**
     * Shortens the timer of a round to {@code timeoutMillis} when the round's leader, or the next round's (who
     * collects this round's votes, as in Jolteon), is unreachable as the transport sees it: such a round cannot
     * produce a certificate, so waiting the full round timeout only delays the view change. Timers decide nothing
     * about safety — an early timeout is only an earlier vote to move on — so a wrong hint costs a round, never
     * agreement. Call before {@link #start}.
     */
    public void shortenTimersOfUnreachableLeaders(org.banyan.consensus.LeaderSchedule schedule, long timeoutMillis) {
        this.leaders = schedule;
        this.unreachableLeaderTimeoutMillis = timeoutMillis;
    }

    /**
     * Loads the safety state, starts the replica and the threads.
     *
     * @throws CorruptStateException when the saved state cannot be trusted (the driver does not start)
     */
    public synchronized void start() throws CorruptStateException {
        if (loop != null) {
            throw new IllegalStateException("started twice");
        }
        SafetyStateCodec.Saved saved = store.load();
        committedHeight.set(start.tip().height().value());
        timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "banyan-consensus-timer-" + name));
        running = true;
        loop = daemon(() -> run(saved), "banyan-consensus-" + name);
        loop.start();
    }

    /** Decodes and queues a frame from replica {@code from}; drops (and counts) malformed frames or a full queue. */
    @Override
    public void onFrame(ReplicaId from, byte[] frame) {
        Message message;
        try {
            message = codec.decode(frame);
        } catch (MalformedMessageException e) {
            framesMalformed.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "{0}: malformed frame from {1}: {2}", name, from, e.getMessage());
            return;
        }
        // Frames waiting for their precheck or in the queue count against one byte budget, so a flood of large
        // messages (sync responses to a lagging replica) cannot exhaust memory: past it, frames drop.
        long queued = queuedBytes.addAndGet(frame.length);
        if (!running || (queued > QUEUE_BYTES_MAX && queued != frame.length)) {
            queuedBytes.addAndGet(-frame.length);
            framesDroppedQueueFull.incrementAndGet();
        } else {
            Received received = new Received(from, message, frame.length);
            List<Payload> carried = payloadsIn(message);
            if (carried.isEmpty()) {
                enqueue(received);
            } else {
                // Check the payloads off the event loop (in parallel) first; the core's validator then hits a cache.
                payloadPrecheck.precheck(carried).whenComplete((ignored, error) -> enqueue(received));
            }
        }
        QuorumCert certified = certifiedIn(message);
        if (certified != null && certified.height().value() > committedHeight.get()) {
            lagListener.onCertifiedAhead(from, certified);
        }
    }

    private void enqueue(Received received) {
        if (!running || !queue.offer(received)) {
            queuedBytes.addAndGet(-received.frameBytes());
            framesDroppedQueueFull.incrementAndGet();
        }
    }

    private static List<Payload> payloadsIn(Message message) {
        return switch (message) {
            case Message.Proposal p -> p.block().payloads();
            case Message.PayloadForward f -> f.payloads();
            case Message.SyncResponse r -> r.blocks().stream().flatMap(b -> b.payloads().stream()).toList();
            default -> List.of();
        };
    }

    /**
     * Work done on payloads a message carries before the message reaches the event loop (the node verifies
     * envelopes in parallel there); the message is queued when the returned stage completes, however it completes.
     */
    @FunctionalInterface
    public interface PayloadPrecheck {
        CompletionStage<?> precheck(List<Payload> payloads);
    }

    /** Sets the {@link PayloadPrecheck}; by default none (messages are queued at once). */
    public void onPayloads(PayloadPrecheck precheck) {
        this.payloadPrecheck = precheck;
    }

    /** Told, on the frame's thread, of each QC a peer shows above this replica's committed height (unverified). */
    @FunctionalInterface
    public interface LagListener {
        void onCertifiedAhead(ReplicaId from, QuorumCert qc);
    }

    /** Sets the {@link LagListener}; the node uses it to start state transfer when the core's sync cannot reach. */
    public void onLag(LagListener listener) {
        this.lagListener = listener;
    }

    private static QuorumCert certifiedIn(Message message) {
        return switch (message) {
            case Message.Proposal p -> p.block().parentQc();
            case Message.SyncInfo i -> i.highCommitQc();
            case Message.Timeout t -> t.highQc();
            default -> null;
        };
    }

    /** Queues a payload for ordering; false (counted in {@link #payloadsDropped()}) when stopped or the queue is full. */
    public boolean submit(Payload payload) {
        boolean queued = running && queue.offer(new Submitted(payload));
        if (!queued) {
            payloadsDropped.incrementAndGet();
        }
        return queued;
    }

    private void run(SafetyStateCodec.Saved saved) {
        try {
            execute(replica.step(new Event.Started(now(), catchUp(saved.state()), saved.blocks(), start.tip(),
                    start.recentBlocks())));
            while (running) {
                Input input = queue.poll(100, TimeUnit.MILLISECONDS);
                if (input == null || input instanceof Stop) {
                    continue;
                }
                execute(replica.step(input instanceof Submitted first ? submittedBatch(first) : toEvent(input)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure.set(e);
            running = false;
            LOG.log(System.Logger.Level.ERROR, name + ": consensus driver stopped by a fault", e);
            timers.shutdownNow();
            throw e;
        } finally {
            running = false;
        }
    }

    /**
     * The recovered safety state, raised to the ledger's tip: the tip's commit certificate becomes the high QC when
     * it is higher (after state transfer the ledger can be ahead of the saved state, and a replica must not
     * propose on a QC below its own committed tip), and rounds up to it count as voted. Raising the voted round is
     * always safe — those rounds are over — and gives a node whose safety file was lost some protection against
     * voting again in rounds it voted in before.
     */
    private SafetyState catchUp(SafetyState recovered) {
        if (start.tipCommitQc().isEmpty()) {
            return recovered;
        }
        QuorumCert tipQc = start.tipCommitQc().get();
        if (!tipQc.round().isAfter(recovered.highQc().round())) {
            return recovered;
        }
        return new SafetyState(Round.max(recovered.lastVotedRound(), tipQc.round()), recovered.lockedRound(), tipQc,
                recovered.highTc());
    }

    /** The submitted payloads queued right behind {@code first}, as one event (their forwards go in one message). */
    private Event submittedBatch(Submitted first) {
        List<Payload> payloads = new java.util.ArrayList<>();
        payloads.add(first.payload());
        while (payloads.size() < SUBMITTED_PER_STEP_MAX && queue.peek() instanceof Submitted next) {
            queue.poll();
            payloads.add(next.payload());
        }
        return new Event.PayloadsSubmitted(now(), payloads);
    }

    private Event toEvent(Input input) {
        long now = now();
        return switch (input) {
            case Received r -> {
                queuedBytes.addAndGet(-r.frameBytes());
                yield new Event.MessageReceived(now, r.from(), r.message());
            }
            case Fired f -> new Event.TimerFired(now, f.timerId());
            case Submitted s -> new Event.PayloadSubmitted(now, s.payload());
            case Stop s -> throw new IllegalStateException("stop is not an event");
        };
    }

    /** Executes one step's actions in the order {@link Actions} documents. */
    private void execute(Actions actions) {
        steps.incrementAndGet();
        currentRound = replica.currentRound().value();
        // Blocks are pruned from the safety record only once the sink has them durably (an asynchronous ledger
        // writer may still hold some).
        store.save(actions.persist(), actions.saveBlocks(),
                new Height(Math.min(committedHeight.get(), sink.durableHeight())));
        for (Actions.Commit commit : actions.commits()) {
            sink.deliver(commit);
            Block last = commit.blocks().getLast();
            committedTip = new CommittedTip(last.height(), last.id(), last.round());
            committedHeight.set(last.height().value());
        }
        for (Actions.Send send : actions.sends()) {
            byte[] frame = codec.encode(send.message());
            if (send.isBroadcast()) {
                for (int i = 0; i < replicaCount; i++) {
                    if (i != replica.id().value()) {
                        transport.send(new ReplicaId(i), frame.clone());
                    }
                }
            } else {
                transport.send(send.to(), frame);
            }
        }
        for (Actions.SetTimer timer : actions.timers()) {
            schedule(timer.timerId(), timerDelayMillis(timer));
        }
    }

    private long timerDelayMillis(Actions.SetTimer timer) {
        org.banyan.consensus.LeaderSchedule schedule = leaders;
        if (schedule == null) {
            return timer.delayMillis();
        }
        org.banyan.consensus.Round round = timer.timerId().round();
        ReplicaId self = replica.id();
        ReplicaId leader = schedule.leader(round);
        ReplicaId collector = schedule.leader(round.next());
        boolean unreachable = !leader.equals(self) && transport.unreachable(leader)
                || !collector.equals(self) && transport.unreachable(collector);
        return unreachable ? Math.min(timer.delayMillis(), unreachableLeaderTimeoutMillis) : timer.delayMillis();
    }

    private void schedule(TimerId timerId, long delayMillis) {
        if (!running) {
            return;
        }
        try {
            timers.schedule(() -> {
                if (running && !queue.offer(new Fired(timerId))) {
                    schedule(timerId, TIMER_RETRY_MILLIS);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: the timer no longer matters.
        }
    }

    private long now() {
        lastNowMillis = Math.max(lastNowMillis, nowMillis.getAsLong());
        return lastNowMillis;
    }

    /** Stops the loop and the timers; waits at most {@value #CLOSE_TIMEOUT_MILLIS} ms for the loop to end. */
    @Override
    public synchronized void close() {
        running = false;
        if (timers != null) {
            timers.shutdownNow();
        }
        if (loop != null) {
            queue.offer(new Stop());
            try {
                loop.join(CLOSE_TIMEOUT_MILLIS);
                if (loop.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: event loop did not stop in {1} ms", name,
                            CLOSE_TIMEOUT_MILLIS);
                }
                timers.awaitTermination(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the loop is running (false after {@link #close()} or a fault). */
    public boolean isRunning() {
        return running;
    }

    /** What stopped the driver, if a fault did. */
    public Throwable failure() {
        return failure.get();
    }

    public long framesMalformed() {
        return framesMalformed.get();
    }

    public long framesDroppedQueueFull() {
        return framesDroppedQueueFull.get();
    }

    public long payloadsDropped() {
        return payloadsDropped.get();
    }

    /** Inputs waiting in the queue now. */
    public int queuedInputs() {
        return queue.size();
    }

    public long steps() {
        return steps.get();
    }

    /** The replica's round after its last step. */
    public long currentRound() {
        return currentRound;
    }

    /** The last block delivered to the sink, or the tip the driver started from. */
    public CommittedTip committedTip() {
        return committedTip;
    }

    /** Height of the last block delivered to the sink (0 before any). */
    public long committedHeight() {
        return committedHeight.get();
    }

    private static Thread daemon(Runnable runnable, String threadName) {
        Thread thread = new Thread(runnable, threadName);
        thread.setDaemon(true);
        return thread;
    }
}
