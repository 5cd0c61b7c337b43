package org.banyan.node.orderer;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * A minimal client of Fabric's {@code AtomicBroadcast/Broadcast} over TLS (server authentication against a TLS CA
 * file): sends a batch of envelopes on one stream and returns the responses, in order. For tools, benchmarks and
 * tests; applications use a Fabric SDK.
 */
public final class BroadcastClient implements AutoCloseable {
    private final ManagedChannel channel;

    public BroadcastClient(String host, int port, Path tlsCaCertFile) {
        try {
            channel = NettyChannelBuilder.forAddress(host, port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(tlsCaCertFile.toFile()).build())
                    .maxInboundMessageSize(4 * 1024 * 1024)
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS with " + tlsCaCertFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends the envelopes on one stream and waits for all their responses.
     *
     * @throws TimeoutException when not every response arrives within {@code timeoutMillis}
     * @throws ExecutionException when the stream fails (the cause is gRPC's status)
     */
    public List<BroadcastResponse> broadcast(List<Envelope> envelopes, long timeoutMillis)
            throws TimeoutException, ExecutionException, InterruptedException {
        List<BroadcastResponse> responses = new ArrayList<>(envelopes.size());
        CompletableFuture<List<BroadcastResponse>> done = new CompletableFuture<>();
        StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(channel)
                .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .broadcast(new StreamObserver<>() {
                    @Override
                    public void onNext(BroadcastResponse response) {
                        synchronized (responses) {
                            responses.add(response);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        synchronized (responses) {
                            done.complete(List.copyOf(responses));
                        }
                    }
                });
        for (Envelope envelope : envelopes) {
            requests.onNext(envelope);
        }
        requests.onCompleted();
        return done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
