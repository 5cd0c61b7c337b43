package org.banyan.node.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Listens for consenter links: gRPC {@code banyan.Consensus/Step} over mutual TLS.
 *
 * <p>Each stream is authenticated once, when it opens: the client's TLS certificate must chain to a hosted
 * channel's TLS CA (checked in the handshake) and be the {@code client_tls_cert} of a consenter of some hosted
 * channel, otherwise the stream is closed with {@code PERMISSION_DENIED}. Each frame is then attributed to the
 * sender's consenter ID in the frame's channel; a frame for a channel where the sender is no consenter is
 * dropped and counted. Accepted frames go through a bounded queue ({@link TransportLimits#inboundQueueFramesMax})
 * to one dispatcher thread that calls the {@link FrameHandler}; when the queue is full the frame is dropped and
 * counted — the gRPC event loop never blocks. A message above {@link TransportLimits#messageBytesMax()} makes
 * gRPC fail that stream ({@code RESOURCE_EXHAUSTED}, logged by gRPC, counted in {@link #streamsReset()}) and reset
 * it with {@code RST_STREAM}, which the dialler sees as {@code CANCELLED}; the dialler opens a new stream.
 *
 * <p>Threads: gRPC/Netty event loops (callbacks run on them directly) and the dispatcher thread
 * {@code banyan-consenter-dispatch-<port>}. {@link #start()} binds, {@link #close()} stops everything.
 */
public final class ConsenterServer implements AutoCloseable {
    /** The authenticated client's TLS certificate, for the services on this server (a consenter's, always). */
    public static final Context.Key<X509Certificate> PEER_CERTIFICATE = Context.key("banyan-peer-certificate");

    private final InetSocketAddress address;
    private final NodeTlsIdentity identity;
    private final AtomicReference<ConsenterDirectory> directory;
    private final TransportLimits limits;
    private final FrameHandler handler;
    private final List<ServerServiceDefinition> extraServices;
    private final BlockingQueue<InboundFrame> inbound;
    private final AtomicLong framesAccepted = new AtomicLong();
    /** Payload bytes in {@link #inbound}, bounded by {@link TransportLimits#inboundQueueBytesMax()}. */
    private final AtomicLong inboundBytes = new AtomicLong();
    private final AtomicLong framesDroppedQueueFull = new AtomicLong();
    private final AtomicLong framesDroppedNotConsenter = new AtomicLong();
    private final AtomicLong framesMalformed = new AtomicLong();
    private final AtomicLong streamsRejected = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong streamsReset = new AtomicLong();
    private Server server;
    private Thread dispatcher;
    private volatile boolean running;

    /**
     * @param address where to listen, e.g. {@code 127.0.0.1:7050}; port 0 picks a free one (see {@link #port()})
     * @param identity the node's TLS certificate and key
     * @param directory the hosted channels' consenters and TLS CAs
     */
    public ConsenterServer(InetSocketAddress address, NodeTlsIdentity identity, ConsenterDirectory directory,
                           TransportLimits limits, FrameHandler handler) {
        this(address, identity, directory, limits, handler, List.of());
    }

    /**
     * @param extraServices further services on the same port (for example block transfer), answering consenters
     *     only, like the consensus stream
     */
    public ConsenterServer(InetSocketAddress address, NodeTlsIdentity identity, ConsenterDirectory directory,
                           TransportLimits limits, FrameHandler handler, List<ServerServiceDefinition> extraServices) {
        this.extraServices = List.copyOf(extraServices);
        this.address = Objects.requireNonNull(address);
        this.identity = Objects.requireNonNull(identity);
        this.directory = new AtomicReference<>(Objects.requireNonNull(directory));
        this.limits = Objects.requireNonNull(limits);
        this.handler = Objects.requireNonNull(handler);
        this.inbound = new ArrayBlockingQueue<>(limits.inboundQueueFramesMax());
    }

    /**
     * Binds the port and starts the dispatcher.
     *
     * @throws UncheckedIOException when the port cannot be bound or TLS cannot be set up
     */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        ServerServiceDefinition step = ServerServiceDefinition.builder(ConsensusService.SERVICE_NAME)
                .addMethod(ConsensusService.STEP, new StepHandler())
                .build();
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
            builder.addService(ServerInterceptors.intercept(step, new ConsentersOnly()));
            for (ServerServiceDefinition extra : extraServices) {
                builder.addService(ServerInterceptors.intercept(extra, new ConsentersOnly()));
            }
            server = builder
                    .sslContext(TlsContexts.server(identity, directory::get))
                    .withOption(ChannelOption.SO_REUSEADDR, true)
                    .maxInboundMessageSize(limits.messageBytesMax())
                    .maxInboundMetadataSize(8 * 1024)
                    .keepAliveTime(limits.keepAliveTimeMillis(), TimeUnit.MILLISECONDS)
                    .keepAliveTimeout(limits.keepAliveTimeoutMillis(), TimeUnit.MILLISECONDS)
                    // Diallers ping every keepAliveTimeMillis; allow that, with slack, even without active streams.
                    .permitKeepAliveTime(limits.keepAliveTimeMillis() / 2, TimeUnit.MILLISECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .handshakeTimeout(limits.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS)
                    .directExecutor()
                    .build()
                    .start();
        } catch (IOException e) {
            server = null;
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        running = true;
        dispatcher = new Thread(this::dispatch, "banyan-consenter-dispatch-" + port());
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** The bound port; after {@link #start()}. */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** Replaces the consenters and TLS CAs; applies to new streams and handshakes, and to frames of open streams. */
    public void update(ConsenterDirectory next) {
        directory.set(Objects.requireNonNull(next));
    }

    public long framesAccepted() {
        return framesAccepted.get();
    }

    public long framesDroppedQueueFull() {
        return framesDroppedQueueFull.get();
    }

    public long framesDroppedNotConsenter() {
        return framesDroppedNotConsenter.get();
    }

    public long framesMalformed() {
        return framesMalformed.get();
    }

    public long streamsRejected() {
        return streamsRejected.get();
    }

    /**
     * Accepted streams that ended without a clean half-close: the client went away, the connection broke, or
     * gRPC reset the stream because a message exceeded {@link TransportLimits#messageBytesMax()}.
     */
    public long streamsReset() {
        return streamsReset.get();
    }

    public long handlerFailures() {
        return handlerFailures.get();
    }

    /** Stops accepting, closes open streams, stops the dispatcher; waits at most the shutdown timeout for each. */
    @Override
    public synchronized void close() {
        running = false;
        if (server != null) {
            server.shutdownNow();
            try {
                if (!server.awaitTermination(limits.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("server on " + address + " did not stop in "
                            + limits.shutdownTimeoutMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
            try {
                dispatcher.join(limits.shutdownTimeoutMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbound.clear();
    }

    /** Counts bytes into the inbound budget; false (nothing counted) when they do not fit. */
    private boolean reserveInbound(int bytes) {
        long after = inboundBytes.addAndGet(bytes);
        if (after > limits.inboundQueueBytesMax() && after != bytes) {
            inboundBytes.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    private boolean offerOrRelease(InboundFrame frame) {
        if (inbound.offer(frame)) {
            return true;
        }
        inboundBytes.addAndGet(-frame.payload().length);
        return false;
    }

    private void dispatch() {
        while (running) {
            InboundFrame frame;
            try {
                frame = inbound.take();
            } catch (InterruptedException e) {
                return;
            }
            inboundBytes.addAndGet(-frame.payload().length);
            try {
                handler.onFrame(frame);
            } catch (RuntimeException e) {
                // A handler bug must not silently stop delivery for every channel; it is counted. Errors
                // (AssertionError) are not caught and stop the dispatcher, as STYLE.md asks.
                handlerFailures.incrementAndGet();
            }
        }
    }

    private static X509Certificate peerCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** One stream from one authenticated consenter. */
    private final class StepHandler implements ServerCallHandler<byte[], byte[]> {
        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
            call.sendHeaders(new Metadata());
            call.request(1);
            return new StreamListener(call, peerCertificate(call));
        }
    }

    /** Every service on this server answers only consenters of a hosted channel. */
    private final class ConsentersOnly implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            X509Certificate peer = peerCertificate(call);
            if (peer == null || !directory.get().isConsenter(peer)) {
                streamsRejected.incrementAndGet();
                call.close(Status.PERMISSION_DENIED.withDescription("TLS client "
                        + (peer == null ? "without certificate" : peer.getSubjectX500Principal().toString())
                        + " is no consenter of any channel hosted here"), new Metadata());
                return new ServerCall.Listener<>() {};
            }
            return Contexts.interceptCall(Context.current().withValue(PEER_CERTIFICATE, peer), call, headers, next);
        }
    }

    private final class StreamListener extends ServerCall.Listener<byte[]> {
        private final ServerCall<byte[], byte[]> call;
        private final X509Certificate peer;
        private final java.util.Map<String, OptionalInt> ids = new java.util.HashMap<>();
        private ConsenterDirectory idsFor;
        private boolean closed;

        StreamListener(ServerCall<byte[], byte[]> call, X509Certificate peer) {
            this.call = call;
            this.peer = peer;
        }

        /** The sender's consenter ID in the channel, looked up once per channel and directory for this stream. */
        private OptionalInt consenterId(String channelId) {
            ConsenterDirectory current = directory.get();
            if (current != idsFor) {
                idsFor = current;
                ids.clear();
            }
            OptionalInt cached = ids.get(channelId);
            if (cached != null) {
                return cached;
            }
            OptionalInt id = current.consenterId(peer, channelId);
            if (id.isPresent()) { // only hosted channels are remembered, so the map stays bounded
                ids.put(channelId, id);
            }
            return id;
        }

        @Override
        public void onMessage(byte[] message) {
            if (closed) {
                return;
            }
            Frame frame;
            try {
                frame = Frame.decode(message, limits.frameBytesMax());
            } catch (Frame.MalformedFrameException e) {
                framesMalformed.incrementAndGet();
                close(Status.INVALID_ARGUMENT.withDescription("malformed frame: " + e.getMessage()));
                return;
            }
            OptionalInt from = consenterId(frame.channelId());
            if (from.isEmpty()) {
                framesDroppedNotConsenter.incrementAndGet();
            } else if (reserveInbound(frame.payload().length)
                    && offerOrRelease(new InboundFrame(from.getAsInt(), frame.channelId(), frame.payload()))) {
                framesAccepted.incrementAndGet();
            } else {
                framesDroppedQueueFull.incrementAndGet();
            }
            call.request(1);
        }

        @Override
        public void onCancel() {
            closed = true;
            streamsReset.incrementAndGet();
        }

        @Override
        public void onHalfClose() {
            close(Status.OK);
        }

        private void close(Status status) {
            if (!closed) {
                closed = true;
                call.close(status, new Metadata());
            }
        }
    }
}
