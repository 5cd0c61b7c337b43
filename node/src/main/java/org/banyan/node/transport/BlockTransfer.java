package org.banyan.node.transport;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * Block transfer between consenters: {@code banyan.Blocks/Fetch}, server streaming, on the consenter port (mutual
 * TLS, consenters only). A request names a channel, the first block number wanted and how many at most; the answer
 * streams the encoded ledger blocks from there, ascending, ending early at the server's height or its byte budget.
 * What a block proves is for the receiver to check ({@code StateTransfer}); this class only moves bytes.
 *
 * <p>Request layout (big-endian): {@code u8 channelIdLength ‖ channelId (ASCII) ‖ u64 fromNumber ‖ u32 blocksMax}.
 */
public final class BlockTransfer {
    public static final String SERVICE_NAME = "banyan.Blocks";
    public static final MethodDescriptor<byte[], byte[]> FETCH = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Fetch"))
            .setRequestMarshaller(ConsensusService.BYTES)
            .setResponseMarshaller(ConsensusService.BYTES)
            .build();
    /** Most blocks one request may ask for. */
    public static final int BLOCKS_PER_FETCH_MAX = 1_024;
    /** A response stops after the block that reaches this many bytes (a single block may be larger). */
    public static final long RESPONSE_BYTES_MAX = 64L << 20;

    private BlockTransfer() {}

    /** What the server side serves: a hosted channel's committed blocks, encoded, to that channel's consenters. */
    public interface BlockSource {
        /** Whether the holder of {@code peer} may read {@code channelId} (it is one of its consenters). */
        boolean mayRead(X509Certificate peer, String channelId);

        /** The encoded blocks from {@code fromNumber} on; empty when the channel is not hosted or has none. */
        Iterator<byte[]> blocksFrom(String channelId, long fromNumber);
    }

    /** A parsed request. */
    public record Request(String channelId, long fromNumber, int blocksMax) {
        public Request {
            if (channelId.isEmpty() || channelId.length() > 249 || fromNumber < 0 || blocksMax < 1
                    || blocksMax > BLOCKS_PER_FETCH_MAX) {
                throw new IllegalArgumentException("bad block request " + channelId + " from " + fromNumber + " max "
                        + blocksMax);
            }
        }

        byte[] encode() {
            byte[] id = channelId.getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(1 + id.length + 8 + 4).put((byte) id.length).put(id).putLong(fromNumber)
                    .putInt(blocksMax).array();
        }

        static Request decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (bytes.length < 1 || bytes.length != 1 + (bytes[0] & 0xff) + 12) {
                throw new IllegalArgumentException("block request of " + bytes.length + " bytes is malformed");
            }
            byte[] id = new byte[in.get() & 0xff];
            in.get(id);
            return new Request(new String(id, StandardCharsets.US_ASCII), in.getLong(), in.getInt());
        }
    }

    /** The server side, to pass to {@link ConsenterServer}'s extra services. */
    public static ServerServiceDefinition service(BlockSource source) {
        return ServerServiceDefinition.builder(SERVICE_NAME)
                .addMethod(FETCH, ServerCalls.asyncServerStreamingCall((byte[] bytes, StreamObserver<byte[]> out) -> {
                    Request request;
                    try {
                        request = Request.decode(bytes);
                    } catch (IllegalArgumentException e) {
                        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                        return;
                    }
                    X509Certificate peer = ConsenterServer.PEER_CERTIFICATE.get();
                    if (peer == null || !source.mayRead(peer, request.channelId())) {
                        out.onError(Status.PERMISSION_DENIED.withDescription("not a consenter of channel "
                                + request.channelId()).asRuntimeException());
                        return;
                    }
                    Iterator<byte[]> blocks = source.blocksFrom(request.channelId(), request.fromNumber());
                    long bytesSent = 0;
                    for (int i = 0; i < request.blocksMax() && bytesSent < RESPONSE_BYTES_MAX && blocks.hasNext(); i++) {
                        byte[] block = blocks.next();
                        bytesSent += block.length;
                        out.onNext(block);
                    }
                    out.onCompleted();
                }))
                .build();
    }

    /**
     * The client side: one gRPC channel per consenter endpoint, dialled on first use with the node's TLS identity
     * and the endpoint's pinned server certificate. Thread-safe.
     */
    public static final class Fetcher implements AutoCloseable {
        private final NodeTlsIdentity identity;
        private final AtomicReference<ConsenterDirectory> directory;
        private final TransportLimits limits;
        private final Map<ConsenterDirectory.Endpoint, ManagedChannel> channels = new HashMap<>();

        public Fetcher(NodeTlsIdentity identity, ConsenterDirectory directory, TransportLimits limits) {
            this.identity = identity;
            this.directory = new AtomicReference<>(directory);
            this.limits = limits;
        }

        /**
         * Up to {@code blocksMax} encoded blocks of {@code channelId} from {@code fromNumber}, fetched from the
         * channel's consenter {@code consenterId}.
         *
         * @throws StatusRuntimeException when the consenter cannot be reached, refuses, or exceeds the deadline
         */
        public List<byte[]> fetch(String channelId, int consenterId, long fromNumber, int blocksMax,
                long deadlineMillis) {
            ConsenterDirectory.Endpoint endpoint = directory.get().endpoint(channelId, consenterId).orElseThrow(
                    () -> new IllegalArgumentException("no consenter " + consenterId + " in channel " + channelId));
            byte[] request = new Request(channelId, fromNumber, blocksMax).encode();
            List<byte[]> blocks = new ArrayList<>();
            ManagedChannel channel = channel(endpoint);
            // A peer that was down when last tried sits in gRPC's reconnect backoff, where calls fail at once; try
            // to connect now instead (a peer still down fails fast all the same).
            channel.resetConnectBackoff();
            Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(channel, FETCH,
                    CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS), request);
            stream.forEachRemaining(blocks::add);
            return blocks;
        }

        private synchronized ManagedChannel channel(ConsenterDirectory.Endpoint endpoint) {
            ManagedChannel channel = channels.get(endpoint);
            if (channel == null) {
                try {
                    channel = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                            .sslContext(TlsContexts.client(identity, directory::get, endpoint.serverCertificate()))
                            .maxInboundMessageSize(limits.messageBytesMax())
                            .disableRetry()
                            .build();
                } catch (SSLException e) {
                    throw new IllegalStateException("cannot set up TLS to " + endpoint.host() + ":" + endpoint.port(), e);
                }
                channels.put(endpoint, channel);
            }
            return channel;
        }

        @Override
        public synchronized void close() {
            for (ManagedChannel channel : channels.values()) {
                channel.shutdownNow();
            }
            for (ManagedChannel channel : channels.values()) {
                try {
                    channel.awaitTermination(limits.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            channels.clear();
        }
    }
}
