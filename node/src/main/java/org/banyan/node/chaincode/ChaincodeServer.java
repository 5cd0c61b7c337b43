package org.banyan.node.chaincode;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Listens for chaincode processes: gRPC {@code protos.ChaincodeSupport/Register} in plaintext (the first
 * step; mutual TLS as Fabric's peer requires comes next). Bind it to loopback or a private network only.
 * {@link #start()} binds, {@link #close()} stops the server (the runtime's streams end with it).
 */
public final class ChaincodeServer implements AutoCloseable {
    /** The largest message either side sends, as Fabric's default 100 MiB. */
    public static final int MESSAGE_BYTES_MAX = 100 * 1024 * 1024;

    private final InetSocketAddress address;
    private final ChaincodeRuntime runtime;
    private Server server;

    /** @param address where to listen, e.g. {@code 127.0.0.1:7052}; port 0 picks a free one */
    public ChaincodeServer(InetSocketAddress address, ChaincodeRuntime runtime) {
        this.address = address;
        this.runtime = runtime;
    }

    /** Binds and starts serving. */
    public ChaincodeServer start() {
        try {
            server = NettyServerBuilder.forAddress(address)
                    .maxInboundMessageSize(MESSAGE_BYTES_MAX)
                    .addService(runtime.service())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for chaincode on " + address, e);
        }
        return this;
    }

    /** The port bound. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
