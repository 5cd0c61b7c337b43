package org.banyan.node.chaincode.launch;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.ChaincodeServer;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * Chaincode-as-a-service: the node dials the chaincode server a {@code ccaas} package's {@code connection.json}
 * names and opens Fabric's {@code protos.Chaincode/Connect} stream (the shim's {@code ChaincodeServer} side); the
 * chaincode registers on it with the package ID and the runtime serves it as any registered chaincode. When the
 * stream ends, or a dial fails, it is dialled again after a backoff: 100 ms doubling to 5 s, without end (the
 * server is the operator's to run). Plaintext only; one connection attempt takes at most the
 * {@code dial_timeout}.
 */
final class ChaincodeConnection extends Supervised {
    static final Duration REDIAL_BACKOFF_MIN = Duration.ofMillis(100);
    static final Duration REDIAL_BACKOFF_MAX = Duration.ofSeconds(5);

    private final ConnectionInfo info;
    /** Created on the first dial; guarded by lock. */
    private ManagedChannel channel;
    /** The stream being dialled or served; guarded by lock. */
    private Attempt current;

    ChaincodeConnection(String packageId, ConnectionInfo info, ChaincodeRuntime runtime, LaunchSettings settings,
            ScheduledExecutorService timer) {
        super(packageId, runtime, settings, timer);
        this.info = info;
    }

    @Override
    void up() {
        Attempt attempt = new Attempt();
        ManagedChannel dial;
        lock.lock();
        try {
            if (state() != State.STARTING) {
                return;
            }
            if (channel == null) {
                channel = NettyChannelBuilder.forAddress(info.host(), info.port())
                        .usePlaintext()
                        .proxyDetector(address -> null)
                        .maxInboundMessageSize(ChaincodeServer.MESSAGE_BYTES_MAX)
                        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                (int) Math.min(Integer.MAX_VALUE, info.dialTimeout().toMillis()))
                        .build();
            }
            // Our backoff governs redials, not gRPC's own reconnect backoff.
            channel.resetConnectBackoff();
            current = attempt;
            dial = channel;
        } finally {
            lock.unlock();
        }
        ChaincodeGrpc.newStub(dial).connect(attempt);
    }

    @Override
    Optional<Duration> retryAfter(int recentFailures, int consecutiveFailures) {
        Duration backoff = REDIAL_BACKOFF_MIN;
        for (int i = 1; i < consecutiveFailures && backoff.compareTo(REDIAL_BACKOFF_MAX) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return Optional.of(backoff.compareTo(REDIAL_BACKOFF_MAX) > 0 ? REDIAL_BACKOFF_MAX : backoff);
    }

    @Override
    void down() {
        Attempt attempt;
        ManagedChannel dial;
        lock.lock();
        try {
            attempt = current;
            current = null;
            dial = channel;
        } finally {
            lock.unlock();
        }
        if (attempt != null) {
            attempt.cancel("the node is shutting down");
        }
        if (dial != null) {
            dial.shutdownNow();
        }
    }

    @Override
    void awaitDown(long deadlineNanos) {
        ManagedChannel dial;
        lock.lock();
        try {
            dial = channel;
        } finally {
            lock.unlock();
        }
        if (dial != null) {
            try {
                dial.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    ChaincodeStatus status(State state, String failure, int restarts, long startMillis) {
        return new ChaincodeStatus(packageId, ChaincodeStatus.Mode.CHAINCODE_SERVER, state.name(),
                runtime.isRegistered(packageId), failure, -1,
                info.address(), restarts, startMillis, "");
    }

    private void ended(Attempt attempt, String why) {
        lock.lock();
        try {
            if (attempt != current) {
                return;
            }
            current = null;
        } finally {
            lock.unlock();
        }
        wentDown(why);
    }

    /**
     * One {@code Connect} stream: the runtime's handler gets what the chaincode sends; the end of the stream (or
     * a failed dial) is a failure of this connection.
     */
    private final class Attempt implements ClientResponseObserver<ChaincodeMessage, ChaincodeMessage> {
        private volatile ClientCallStreamObserver<ChaincodeMessage> call;
        private volatile StreamObserver<ChaincodeMessage> node;
        private volatile boolean heard;

        @Override
        public void beforeStart(ClientCallStreamObserver<ChaincodeMessage> requestStream) {
            call = requestStream;
            try {
                node = runtime.connect(requestStream, packageId);
            } catch (ChaincodeExecutionException e) {
                requestStream.cancel(e.getMessage(), null);
            }
        }

        @Override
        public void onNext(ChaincodeMessage message) {
            heard = true;
            node.onNext(message);
        }

        @Override
        public void onError(Throwable t) {
            if (node != null) {
                node.onError(t);
            }
            Status status = Status.fromThrowable(t);
            boolean dialFailed = !heard && status.getCode() == Status.Code.UNAVAILABLE;
            ended(this, dialFailed ? "connection to " + packageId + " failed: error creating grpc connection to "
                    + info.address() + ": " + describe(status) : "chaincode stream terminated: " + describe(status));
        }

        @Override
        public void onCompleted() {
            if (node != null) {
                node.onCompleted();
            }
            ended(this, "chaincode stream terminated: the chaincode server ended the stream");
        }

        void cancel(String why) {
            ClientCallStreamObserver<ChaincodeMessage> stream = call;
            if (stream != null) {
                stream.cancel(why, null);
            }
        }
    }

    /**
     * A gRPC failure in a line; for a call the node's side cancelled (the runtime ended the stream), the reason it
     * gave.
     */
    private static String describe(Status status) {
        Throwable cause = status.getCause();
        if (status.getCode() == Status.Code.CANCELLED && cause != null) {
            Status reason = Status.fromThrowable(cause);
            return reason.getDescription() != null ? reason.getDescription() : String.valueOf(cause.getMessage());
        }
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}
