package org.banyan.node.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * A chaincode played by a test: it speaks the shim's side of the protocol to a runtime's service in-process (no
 * socket), one message at a time, and keeps what the node sends it. Lets a test send what the real shim would not
 * (a request after COMPLETED, two requests at once) and read the node's exact answers.
 */
final class FakeChaincode implements StreamObserver<ChaincodeMessage> {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<ChaincodeMessage> received = new ArrayBlockingQueue<>(10_000);
    /** gRPC delivers one message at a time; so does the fake. */
    private final ReentrantLock sendLock = new ReentrantLock();
    private StreamObserver<ChaincodeMessage> toNode;
    private volatile Throwable error;
    private volatile boolean completed;

    /** Opens a stream to the runtime, as a chaincode process connecting to {@code ChaincodeSupport/Register}. */
    static FakeChaincode connect(ChaincodeRuntime runtime) {
        FakeChaincode fake = new FakeChaincode();
        fake.toNode = runtime.service().register(fake);
        return fake;
    }

    /**
     * A stream the node opened ({@link ChaincodeRuntime#connect}, chaincode-as-a-service) for {@code expectedId};
     * the fake is the chaincode server's side of it.
     */
    static FakeChaincode dialled(ChaincodeRuntime runtime, String expectedId) {
        FakeChaincode fake = new FakeChaincode();
        fake.toNode = runtime.connect(new CallStreamObserver<>() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setOnReadyHandler(Runnable onReadyHandler) {
            }

            @Override
            public void disableAutoInboundFlowControl() {
            }

            @Override
            public void request(int count) {
            }

            @Override
            public void setMessageCompression(boolean enable) {
            }

            @Override
            public void onNext(ChaincodeMessage message) {
                fake.onNext(message);
            }

            @Override
            public void onError(Throwable t) {
                fake.onError(t);
            }

            @Override
            public void onCompleted() {
                fake.onCompleted();
            }
        }, expectedId);
        return fake;
    }

    /** Connects and registers under {@code id} ({@code name} or {@code name:version}). */
    static FakeChaincode registered(ChaincodeRuntime runtime, String id) {
        FakeChaincode fake = connect(runtime);
        fake.register(id);
        return fake;
    }

    /** Sends REGISTER and expects REGISTERED, then READY. */
    void register(String id) {
        sendRegister(id);
        assertThat(next().getType()).isEqualTo(ChaincodeMessage.Type.REGISTERED);
        assertThat(next().getType()).isEqualTo(ChaincodeMessage.Type.READY);
    }

    /** Sends REGISTER. */
    void sendRegister(String id) {
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                .setPayload(ChaincodeID.newBuilder().setName(id).build().toByteString()).build());
    }

    void send(ChaincodeMessage message) {
        sendLock.lock();
        try {
            toNode.onNext(message);
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends a request of the transaction; the answer comes through {@link #next()}. */
    void request(ChaincodeMessage.Type type, ChaincodeMessage transaction, Message payload) {
        send(ChaincodeMessage.newBuilder().setType(type).setPayload(payload.toByteString())
                .setTxid(transaction.getTxid()).setChannelId(transaction.getChannelId()).build());
    }

    /** Sends a request and returns the node's answer, RESPONSE or ERROR. */
    ChaincodeMessage call(ChaincodeMessage.Type type, ChaincodeMessage transaction, Message payload) {
        request(type, transaction, payload);
        ChaincodeMessage answer = next();
        assertThat(answer.getType()).as(answer.toString())
                .isIn(ChaincodeMessage.Type.RESPONSE, ChaincodeMessage.Type.ERROR);
        assertThat(answer.getTxid()).isEqualTo(transaction.getTxid());
        return answer;
    }

    /** Ends the transaction with COMPLETED and a response of status 200 carrying {@code payload}. */
    void complete(ChaincodeMessage transaction, String payload) {
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.COMPLETED)
                .setPayload(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFromUtf8(payload))
                        .build().toByteString())
                .setTxid(transaction.getTxid()).setChannelId(transaction.getChannelId()).build());
    }

    /** The next message from the node, waiting up to 10 s. */
    ChaincodeMessage next() {
        return poll(WAIT).orElseThrow(() -> new AssertionError("the node sent nothing within " + WAIT
                + (error != null ? "; stream failed: " + error : "")));
    }

    /** The next message from the node within {@code timeout}, if any. */
    Optional<ChaincodeMessage> poll(Duration timeout) {
        try {
            return Optional.ofNullable(received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The error the node ended the stream with, waiting up to 10 s for it. */
    Throwable awaitError() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (error == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        if (error == null) {
            throw new AssertionError("the node did not end the stream within " + WAIT);
        }
        return error;
    }

    @Override
    public void onNext(ChaincodeMessage message) {
        if (!received.offer(message)) {
            throw new AssertionError("the fake chaincode holds 10 000 unread messages");
        }
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onCompleted() {
        completed = true;
    }
}
