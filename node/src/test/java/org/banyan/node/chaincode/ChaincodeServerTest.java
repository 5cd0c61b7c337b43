package org.banyan.node.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.banyan.ledger.ChannelLedger;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSupportGrpc;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaincode server over a real gRPC connection on 127.0.0.1: flow control towards a chaincode. */
class ChaincodeServerTest {
    private static final String CHANNEL = TestChains.CHANNEL;

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private ChaincodeRuntime runtime;
    private ChaincodeServer server;
    private ManagedChannel channel;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (runtime != null) {
            runtime.close();
        }
        if (server != null) {
            server.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void aChaincodeThatDoesNotReadItsStreamIsCutOffAfterTheSendTimeout() throws Exception {
        ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
        runtime = new ChaincodeRuntime(ch -> ch.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty(),
                ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(5))
                        .withSendTimeout(Duration.ofMillis(300)));
        server = new ChaincodeServer(new InetSocketAddress("127.0.0.1", 0), runtime).start();
        // A small fixed HTTP/2 window, and a chaincode that reads REGISTERED and READY and nothing after.
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .flowControlWindow(65_535).build();
        BlockingQueue<ChaincodeMessage> received = new ArrayBlockingQueue<>(16);
        StreamObserver<ChaincodeMessage> toNode = ChaincodeSupportGrpc.newStub(channel).register(
                new ClientResponseObserver<ChaincodeMessage, ChaincodeMessage>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ChaincodeMessage> requests) {
                        requests.disableAutoRequestWithInitial(2);
                    }

                    @Override
                    public void onNext(ChaincodeMessage message) {
                        received.add(message);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        toNode.onNext(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                .setPayload(ChaincodeID.newBuilder().setName("stuck").build().toByteString()).build());
        assertThat(runtime.awaitRegistered("stuck", Duration.ofSeconds(5))).isTrue();
        assertThat(received.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(ChaincodeMessage.Type.REGISTERED);
        assertThat(received.poll(5, TimeUnit.SECONDS).getType()).isEqualTo(ChaincodeMessage.Type.READY);

        long started = System.nanoTime();
        // Two transactions of 2 MiB each that the chaincode never reads: whichever is sent first fills far more
        // than the chaincode's window, so the stream stops taking messages and the other waits for it.
        ByteString twoMiB = ByteString.copyFrom(new byte[2 * 1024 * 1024]);
        Future<ChaincodeResult> first = execute("tx1", twoMiB);
        Future<ChaincodeResult> second = execute("tx2", twoMiB);
        String reason = "error sending: chaincode stream terminated: the chaincode did not read its stream for 300 ms";
        assertThat(cause(first)).hasMessage("failed to execute transaction tx1: " + reason);
        assertThat(cause(second)).hasMessage("failed to execute transaction tx2: " + reason);
        // Well before the 5 s execute timeout, which is all that would end them without flow control.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000L);
        assertThat(runtime.isRegistered("stuck")).isFalse();
        toNode.onCompleted();
    }

    private Future<ChaincodeResult> execute(String txId, ByteString arg) {
        return callers.submit(() -> runtime.execute("stuck", ChaincodeInput.newBuilder().addArgs(arg).build(),
                TransactionContext.of(CHANNEL, txId, SignedProposal.getDefaultInstance())));
    }

    private static Throwable cause(Future<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("execute succeeded");
    }
}
