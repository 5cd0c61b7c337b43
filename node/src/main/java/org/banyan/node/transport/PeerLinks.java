package org.banyan.node.transport;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;

/**
 * The dialling side of consenter links: one gRPC channel and one {@code Step} stream per remote node (a node
 * that is a consenter of several hosted channels is dialled once), each fed by its own bounded queue and
 * sender thread {@code banyan-link-<host:port>}.
 *
 * <p>{@link #send} never blocks: when a peer's queue ({@link TransportLimits#outboundQueueFramesMax}) is full the
 * <em>oldest</em> queued frame is dropped and counted — consensus tolerates loss and newer messages (higher
 * views, later rounds) are the more useful. Frames written into a stream that then breaks are lost too. A
 * broken or refused stream is reopened after a capped exponential backoff
 * ({@link TransportLimits#reconnectBackoffMinMillis} doubling to {@link TransportLimits#reconnectBackoffMaxMillis},
 * reset once a stream is accepted); gRPC's own connection backoff is reset before each attempt so ours governs.
 */
public final class PeerLinks implements AutoCloseable {
    private final NodeTlsIdentity identity;
    private final AtomicReference<ConsenterDirectory> directory;
    private final TransportLimits limits;
    private final Map<String, Link> links = new TreeMap<>();
    private final AtomicLong framesDroppedUnknownPeer = new AtomicLong();
    private volatile boolean running;

    public PeerLinks(NodeTlsIdentity identity, ConsenterDirectory directory, TransportLimits limits) {
        this.identity = Objects.requireNonNull(identity);
        this.directory = new AtomicReference<>(Objects.requireNonNull(directory));
        this.limits = Objects.requireNonNull(limits);
    }

    /** Dials every other consenter of every hosted channel. */
    public synchronized void start() {
        running = true;
        addLinks(directory.get());
    }

    /** Replaces the directory; dials consenters not dialled yet (links to removed ones stay until close). */
    public synchronized void update(ConsenterDirectory next) {
        directory.set(Objects.requireNonNull(next));
        if (running) {
            addLinks(next);
        }
    }

    /**
     * Queues a frame for consenter {@code to} of {@code channelId}; never blocks.
     *
     * @return false when the consenter is unknown, is this node, or the links are closed (counted)
     * @throws IllegalArgumentException when the payload exceeds {@link TransportLimits#frameBytesMax()}
     */
    public boolean send(int to, String channelId, byte[] payload) {
        if (payload.length > limits.frameBytesMax()) {
            throw new IllegalArgumentException("frame of " + payload.length + " bytes for consenter " + to
                    + " on channel " + channelId + " exceeds frameBytesMax " + limits.frameBytesMax());
        }
        Frame frame = new Frame(channelId, payload);
        Optional<ConsenterDirectory.Endpoint> endpoint = directory.get().endpoint(channelId, to);
        Link link;
        synchronized (this) {
            link = endpoint.isPresent() && running ? links.get(endpoint.get().key()) : null;
        }
        if (link == null) {
            framesDroppedUnknownPeer.incrementAndGet();
            return false;
        }
        link.enqueue(frame.encode());
        return true;
    }

    /** Frames dropped because the destination was unknown, this node, or the links were closed. */
    public long framesDroppedUnknownPeer() {
        return framesDroppedUnknownPeer.get();
    }

    /** Counters of the link to consenter {@code to} of {@code channelId}. */
    public Optional<LinkStats> stats(int to, String channelId) {
        Optional<ConsenterDirectory.Endpoint> endpoint = directory.get().endpoint(channelId, to);
        synchronized (this) {
            return endpoint.map(e -> links.get(e.key())).map(Link::stats);
        }
    }

    /**
     * Whether the link to consenter {@code to} is known to be down: its stream failed and no new one has been
     * accepted since. False for a peer never linked yet (nothing is known).
     */
    public boolean isDown(int to, String channelId) {
        Optional<ConsenterDirectory.Endpoint> endpoint = directory.get().endpoint(channelId, to);
        synchronized (this) {
            return endpoint.map(e -> links.get(e.key())).map(link -> !link.up && link.streamFailures.get() > 0)
                    .orElse(false);
        }
    }

    /**
     * A link's counters.
     *
     * @param framesSent frames handed to gRPC
     * @param framesDroppedQueueFull oldest frames dropped because the queue was full
     * @param streamsOpened streams the server accepted
     * @param streamFailures streams refused or broken
     * @param lastFailure status of the latest failure, if any
     */
    public record LinkStats(long framesSent, long framesDroppedQueueFull, long streamsOpened, long streamFailures,
                            Optional<Status> lastFailure) {}

    /** Stops every sender thread and channel, waiting at most the shutdown timeout for each. */
    @Override
    public void close() {
        List<Link> toClose;
        synchronized (this) {
            running = false;
            toClose = new ArrayList<>(links.values());
            links.clear();
        }
        toClose.forEach(Link::close);
    }

    private void addLinks(ConsenterDirectory dir) {
        for (ConsenterDirectory.Endpoint endpoint : dir.endpointsExcept(identity.certificate())) {
            if (!links.containsKey(endpoint.key())) {
                Link link = new Link(endpoint);
                links.put(endpoint.key(), link);
                link.start();
            }
        }
    }

    /** One remote node: queue, channel, current stream, sender thread. */
    private final class Link {
        private final ConsenterDirectory.Endpoint endpoint;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(limits.outboundQueueFramesMax());
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final AtomicLong framesSent = new AtomicLong();
        /** Bytes in {@link #queue}, bounded by {@link TransportLimits#outboundQueueBytesMax()}. */
        private final AtomicLong queuedBytes = new AtomicLong();
        private final AtomicLong framesDroppedQueueFull = new AtomicLong();
        private final AtomicLong streamsOpened = new AtomicLong();
        private final AtomicLong streamFailures = new AtomicLong();
        private final AtomicReference<Status> lastFailure = new AtomicReference<>();
        private final Thread sender;
        private ManagedChannel channel;
        private volatile boolean open = true;
        /** Whether a stream to the peer is accepted and live. */
        private volatile boolean up;

        Link(ConsenterDirectory.Endpoint endpoint) {
            this.endpoint = endpoint;
            this.sender = new Thread(this::run, "banyan-link-" + endpoint.host() + ":" + endpoint.port());
            sender.setDaemon(true);
        }

        void start() {
            try {
                channel = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                        .sslContext(TlsContexts.client(identity, directory::get, endpoint.serverCertificate()))
                        .maxInboundMessageSize(64 * 1024)
                        .keepAliveTime(limits.keepAliveTimeMillis(), TimeUnit.MILLISECONDS)
                        .keepAliveTimeout(limits.keepAliveTimeoutMillis(), TimeUnit.MILLISECONDS)
                        .keepAliveWithoutCalls(true)
                        .disableRetry()
                        .directExecutor()
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS to " + endpoint.host() + ":" + endpoint.port(), e);
            }
            sender.start();
        }

        void enqueue(byte[] encoded) {
            queuedBytes.addAndGet(encoded.length);
            while (!queue.offer(encoded)) {
                dropOldest();
            }
            // The newest frame always stays: it is worth more than older ones (later rounds supersede them).
            while (queuedBytes.get() > limits.outboundQueueBytesMax() && queue.size() > 1 && dropOldest()) {
                // dropped one
            }
        }

        private boolean dropOldest() {
            byte[] oldest = queue.poll();
            if (oldest == null) {
                return false;
            }
            queuedBytes.addAndGet(-oldest.length);
            framesDroppedQueueFull.incrementAndGet();
            return true;
        }

        LinkStats stats() {
            return new LinkStats(framesSent.get(), framesDroppedQueueFull.get(), streamsOpened.get(),
                    streamFailures.get(), Optional.ofNullable(lastFailure.get()));
        }

        void close() {
            open = false;
            sender.interrupt();
            try {
                sender.join(limits.shutdownTimeoutMillis());
                if (channel != null) {
                    channel.shutdownNow();
                    channel.awaitTermination(limits.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            long backoffMillis = limits.reconnectBackoffMinMillis();
            try {
                while (open) {
                    Stream stream = new Stream();
                    if (stream.awaitAccepted()) {
                        streamsOpened.incrementAndGet();
                        backoffMillis = limits.reconnectBackoffMinMillis();
                        up = true;
                        pump(stream);
                    }
                    up = false;
                    stream.cancel();
                    if (!open) {
                        return;
                    }
                    streamFailures.incrementAndGet();
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, limits.reconnectBackoffMaxMillis());
                    channel.resetConnectBackoff();
                }
            } catch (InterruptedException e) {
                // close() interrupts: leave.
            }
        }

        /** Writes queued frames while the stream lives and gRPC is ready for more (flow control). */
        private void pump(Stream stream) throws InterruptedException {
            while (open && !stream.isClosed()) {
                byte[] frame = queue.poll(100, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                queuedBytes.addAndGet(-frame.length);
                if (!stream.awaitReady()) {
                    return; // the frame is lost with the stream
                }
                stream.call.sendMessage(frame);
                framesSent.incrementAndGet();
            }
        }

        /** One {@code Step} call and what the listener has seen of it. */
        private final class Stream extends ClientCall.Listener<byte[]> {
            private final ClientCall<byte[], byte[]> call;
            private boolean accepted;
            private Status closed;

            Stream() {
                call = channel.newCall(ConsensusService.STEP, CallOptions.DEFAULT);
                call.start(this, new Metadata());
            }

            @Override
            public void onHeaders(Metadata headers) {
                signal(() -> accepted = true);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                lastFailure.set(status);
                signal(() -> closed = status);
            }

            @Override
            public void onReady() {
                signal(() -> {});
            }

            boolean awaitAccepted() throws InterruptedException {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.streamOpenTimeoutMillis());
                lock.lock();
                try {
                    while (!accepted && closed == null && open) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        changed.awaitNanos(left);
                    }
                    return accepted && closed == null;
                } finally {
                    lock.unlock();
                }
            }

            boolean awaitReady() throws InterruptedException {
                lock.lock();
                try {
                    while (closed == null && open && !call.isReady()) {
                        changed.await(100, TimeUnit.MILLISECONDS);
                    }
                    return closed == null && open;
                } finally {
                    lock.unlock();
                }
            }

            boolean isClosed() {
                lock.lock();
                try {
                    return closed != null;
                } finally {
                    lock.unlock();
                }
            }

            void cancel() {
                if (!isClosed()) {
                    call.cancel("link closing or stream not accepted", null);
                }
            }

            private void signal(Runnable update) {
                lock.lock();
                try {
                    update.run();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
