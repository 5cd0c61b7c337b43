package org.banyan.node.chaincode;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeSupportGrpc;
import org.hyperledger.fabric.protos.peer.Response;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Runs transactions on registered chaincode processes. Chaincode connects to {@link #service()} (served by a
 * {@link ChaincodeServer}) and registers under its {@code CORE_CHAINCODE_ID_NAME}; {@link #execute} then sends it
 * a transaction over a fresh {@link TxSimulator} on the channel's committed state and returns the response, event
 * and read/write set.
 *
 * <p>Until chaincode lifecycle exists, the chaincode name a transaction calls is the name the process registered
 * with, and it is the state namespace. Thread-safe; {@link #execute} blocks the calling thread up to
 * {@link ChaincodeLimits#executeTimeout()}.
 */
public final class ChaincodeRuntime implements AutoCloseable {
    private final Function<String, Optional<ChannelLedger>> ledgers;
    private final ChaincodeLimits limits;
    private final ExecutorService requestExecutor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("banyan-chaincode-request-", 0).factory());
    private final Map<String, ChaincodeHandler> handlers = new ConcurrentHashMap<>();
    private final ReentrantLock readyLock = new ReentrantLock();
    private final Condition readyChanged = readyLock.newCondition();
    private volatile boolean closed;

    /**
     * @param ledgers the ledger of a channel by ID, empty for a channel this node does not host
     */
    public ChaincodeRuntime(Function<String, Optional<ChannelLedger>> ledgers, ChaincodeLimits limits) {
        this.ledgers = ledgers;
        this.limits = limits;
    }

    /** The gRPC service {@code protos.ChaincodeSupport} for a server to host. */
    public ChaincodeSupportGrpc.ChaincodeSupportImplBase service() {
        return new ChaincodeSupportGrpc.ChaincodeSupportImplBase() {
            @Override
            public StreamObserver<ChaincodeMessage> register(StreamObserver<ChaincodeMessage> responseObserver) {
                ChaincodeHandler handler = new ChaincodeHandler(ChaincodeRuntime.this, responseObserver);
                if (closed) {
                    handler.close();
                }
                return handler;
            }
        };
    }

    public ChaincodeLimits limits() {
        return limits;
    }

    /** True when a chaincode process is registered and ready under this name. */
    public boolean isRegistered(String chaincodeName) {
        ChaincodeHandler handler = handlers.get(chaincodeName);
        return handler != null && handler.state() == ChaincodeHandler.State.READY;
    }

    /** The names of the chaincodes registered and ready, sorted. */
    public List<String> registered() {
        return handlers.keySet().stream().filter(this::isRegistered).sorted().toList();
    }

    /**
     * Waits until a chaincode is registered and ready.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitRegistered(String chaincodeName, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        readyLock.lock();
        try {
            while (!isRegistered(chaincodeName)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                readyChanged.awaitNanos(left);
            }
            return true;
        } finally {
            readyLock.unlock();
        }
    }

    /**
     * Executes one transaction: sends {@code TRANSACTION} (or {@code INIT}) with {@code input} to the chaincode,
     * serves its ledger requests from a new simulator over the channel's committed state, and returns its answer.
     *
     * @throws ChaincodeExecutionException with Fabric's message when there is no answer: unknown channel,
     *     chaincode not registered, timeout, stream ended, or the chaincode answered {@code ERROR}
     */
    public ChaincodeResult execute(String chaincodeName, ChaincodeInput input, TransactionContext context) {
        ChannelLedger ledger = ledgers.apply(context.channelId()).orElseThrow(() ->
                new ChaincodeExecutionException("failed to find ledger for channel: " + context.channelId()));
        TxSimulator simulator = new TxSimulator(context.txId(), CommittedState.of(ledger));
        Invocation invocation = new Invocation(context, chaincodeName, simulator, ledger, 0);
        ChaincodeMessage answer = run(invocation, input);
        String txId = context.txId();
        switch (answer.getType()) {
            case COMPLETED -> {
                Response response;
                try {
                    response = Response.parseFrom(answer.getPayload());
                } catch (InvalidProtocolBufferException e) {
                    throw new ChaincodeExecutionException("failed to unmarshal response for transaction " + txId
                            + ": " + e.getMessage());
                }
                Optional<ChaincodeEvent> event = answer.hasChaincodeEvent()
                        ? Optional.of(answer.getChaincodeEvent().toBuilder()
                                .setChaincodeId(chaincodeName).setTxId(txId).build())
                        : Optional.empty();
                return new ChaincodeResult(response, event, simulator.results());
            }
            case ERROR -> throw new ChaincodeExecutionException("transaction returned with failure: "
                    + answer.getPayload().toStringUtf8());
            default -> throw new ChaincodeExecutionException("unexpected response type " + answer.getType()
                    + " for transaction " + txId);
        }
    }

    /**
     * {@code INVOKE_CHAINCODE}: the called chaincode runs in the same transaction and simulator; its answer
     * ({@code COMPLETED} or {@code ERROR}) goes back to the caller as it is, as Fabric does.
     */
    ChaincodeMessage invokeNested(Invocation caller, ChaincodeSpec spec) {
        String name = spec.getChaincodeId().getName();
        int slash = name.indexOf('/');
        if (slash >= 0) {
            String channel = name.substring(slash + 1);
            name = name.substring(0, slash);
            if (!channel.isEmpty() && !channel.equals(caller.context().channelId())) {
                throw new ChaincodeExecutionException("execute failed: invoking chaincode " + name
                        + " on another channel (" + channel + ") is not supported");
            }
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon); // Fabric ignores the version and calls the current definition
        }
        if (caller.depth() + 1 > limits.invocationDepthMax()) {
            throw new ChaincodeExecutionException("execute failed: chaincode invocations nest deeper than "
                    + limits.invocationDepthMax());
        }
        try {
            return run(caller.nested(name), spec.getInput());
        } catch (ChaincodeExecutionException e) {
            throw new ChaincodeExecutionException("execute failed: " + e.getMessage());
        }
    }

    private ChaincodeMessage run(Invocation invocation, ChaincodeInput input) {
        if (closed) {
            throw new ChaincodeExecutionException("the chaincode runtime is closed");
        }
        ChaincodeHandler handler = handlers.get(invocation.chaincodeName());
        if (handler == null || handler.state() != ChaincodeHandler.State.READY) {
            throw new ChaincodeExecutionException("chaincode " + invocation.chaincodeName()
                    + " is not registered with this node");
        }
        String txId = invocation.context().txId();
        try {
            return handler.execute(invocation, input);
        } catch (ChaincodeExecutionException e) {
            throw new ChaincodeExecutionException("failed to execute transaction " + txId + ": " + e.getMessage());
        }
    }

    ExecutorService requestExecutor() {
        return requestExecutor;
    }

    /** Records a handler under its chaincode name; false when the name is taken. */
    boolean register(ChaincodeHandler handler) {
        return !closed && handlers.putIfAbsent(handler.chaincodeName(), handler) == null;
    }

    void ready(ChaincodeHandler handler) {
        signal();
    }

    void deregister(ChaincodeHandler handler) {
        if (handlers.remove(handler.chaincodeName(), handler)) {
            signal();
        }
    }

    private void signal() {
        readyLock.lock();
        try {
            readyChanged.signalAll();
        } finally {
            readyLock.unlock();
        }
    }

    /** Ends every chaincode stream and stops the request threads. */
    @Override
    public void close() {
        closed = true;
        for (ChaincodeHandler handler : List.copyOf(handlers.values())) {
            handler.close();
        }
        requestExecutor.shutdown();
        try {
            if (!requestExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                requestExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            requestExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
