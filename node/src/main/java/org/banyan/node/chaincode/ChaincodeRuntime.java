package org.banyan.node.chaincode;

import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.banyan.crypto.Assert;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeSupportGrpc;

/**
 * Runs transactions on registered chaincode processes. Chaincode connects to {@link #service()} (served by a
 * {@link ChaincodeServer}) and registers under its {@code CORE_CHAINCODE_ID_NAME}, {@code name} or
 * {@code name:version} (Fabric's development-mode chaincode ID); {@link #execute} then sends it a transaction over
 * a fresh {@link TxSimulator} on the channel's committed state and returns the response, event and read/write set.
 *
 * <p>The process that runs a chaincode is the one registered with the ID its {@link ChaincodeResolver} names (the
 * package lifecycle chose; without lifecycle, the chaincode's name); the name is the state namespace. A process
 * may also be a stream the node dialled ({@link #connect}, chaincode-as-a-service). When none is registered the
 * {@link ChaincodeStarter} may bring it up first. Thread-safe; {@link #execute} blocks the calling thread up to
 * the starter's wait and then {@link ChaincodeLimits#executeTimeout()}, nested invocations included.
 *
 * <p>Owns a virtual thread per chaincode request being served and one timer thread (register timeouts);
 * {@link #close()} stops them.
 */
public final class ChaincodeRuntime implements ChaincodeExecutor, AutoCloseable {
    /** Fabric's {@code ErrorExecutionTimeout}. */
    static final String TIMEOUT = "timeout expired while executing transaction";

    private final Function<String, Optional<ChannelLedger>> ledgers;
    private final ChaincodeLimits limits;
    private final ChaincodeResolver resolver;
    private final ExecutorService requestExecutor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("banyan-chaincode-request-", 0).factory());
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("banyan-chaincode-timer").factory());
    private final Map<String, ChaincodeHandler> handlers = new ConcurrentHashMap<>();
    /** Every open stream, registered or not: at most streamsUnregisteredMax plus one per chaincode name. */
    private final Set<ChaincodeHandler> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamsUnregistered = new AtomicInteger();
    private final ReentrantLock readyLock = new ReentrantLock();
    private final Condition readyChanged = readyLock.newCondition();
    private volatile ChaincodeStarter starter = ChaincodeStarter.NONE;
    private volatile boolean closed;

    /**
     * @param ledgers the ledger of a channel by ID, empty for a channel this node does not host
     */
    public ChaincodeRuntime(Function<String, Optional<ChannelLedger>> ledgers, ChaincodeLimits limits) {
        this(ledgers, limits, ChaincodeResolver.BY_NAME);
    }

    /** @param resolver finds the process for a chaincode another chaincode calls */
    public ChaincodeRuntime(Function<String, Optional<ChannelLedger>> ledgers, ChaincodeLimits limits,
            ChaincodeResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.ledgers = ledgers;
        this.limits = limits;
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * The gRPC service {@code protos.ChaincodeSupport} for a server to host. A stream past
     * {@link ChaincodeLimits#streamsUnregisteredMax()} streams that have not registered is ended at once; one that
     * does not register within {@link ChaincodeLimits#registerTimeout()} is ended then.
     */
    public ChaincodeSupportGrpc.ChaincodeSupportImplBase service() {
        return new ChaincodeSupportGrpc.ChaincodeSupportImplBase() {
            @Override
            public StreamObserver<ChaincodeMessage> register(StreamObserver<ChaincodeMessage> responseObserver) {
                return accept(responseObserver);
            }
        };
    }

    /**
     * The node's end of a stream the node opened itself: chaincode-as-a-service, where the node dials the
     * chaincode's server ({@code protos.Chaincode/Connect}) and the chaincode then registers as it would on
     * {@link #service()}. Call it from the call's {@code ClientResponseObserver.beforeStart}, with the request
     * stream, and hand the messages the chaincode sends to the returned observer. The same bounds apply
     * (streams waiting to register, register timeout).
     *
     * @param toChaincode where the node's messages to the chaincode go
     * @param expectedId the only ID the chaincode may register with (the package ID the node dialled it for);
     *     any other ends the stream
     * @throws ChaincodeExecutionException when the stream is refused (runtime closed, too many streams waiting
     *     to register): cancel the call
     */
    public StreamObserver<ChaincodeMessage> connect(CallStreamObserver<ChaincodeMessage> toChaincode,
            String expectedId) {
        Assert.that(!expectedId.isEmpty(), "a dialled stream without the ID it was dialled for");
        String refusal = admit();
        if (refusal != null) {
            throw new ChaincodeExecutionException(refusal); // nothing was sent or received on it yet
        }
        ChaincodeHandler handler = new ChaincodeHandler(this, toChaincode, expectedId);
        handler.start();
        streams.add(handler);
        awaitRegister(handler);
        return handler;
    }

    /** A stream the chaincode opened: refused past the bounds or once closed, else timed until it registers. */
    private ChaincodeHandler accept(StreamObserver<ChaincodeMessage> out) {
        String refusal = admit();
        ChaincodeHandler handler = new ChaincodeHandler(this, out);
        handler.start();
        streams.add(handler);
        if (refusal != null) {
            handler.refuse(refusal);
        } else {
            awaitRegister(handler);
        }
        return handler;
    }

    /** Counts a new stream as waiting to register; the reason to refuse it instead, or null. */
    private String admit() {
        if (closed) {
            return "chaincode stream terminated: the node is shutting down";
        }
        if (streamsUnregistered.incrementAndGet() > limits.streamsUnregisteredMax()) {
            streamsUnregistered.decrementAndGet();
            return "too many chaincode streams waiting to register (max " + limits.streamsUnregisteredMax() + ")";
        }
        return null;
    }

    private void awaitRegister(ChaincodeHandler handler) {
        try {
            handler.awaitRegister(timer.schedule(handler::registerTimedOut, limits.registerTimeout().toNanos(),
                    TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            handler.close(); // the runtime closed meanwhile
        }
    }

    /**
     * Who brings up the process of a package that is not registered when a transaction needs it (the node's
     * launcher); {@link ChaincodeStarter#NONE} until set. Set it before transactions run.
     */
    public void starter(ChaincodeStarter starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    public ChaincodeLimits limits() {
        return limits;
    }

    /** True when a chaincode process is registered and ready under this name. */
    public boolean isRegistered(String chaincodeName) {
        return ready(chaincodeName).isPresent();
    }

    /**
     * The name and version a ready chaincode registered with ({@code CORE_CHAINCODE_ID_NAME=name:version}), for
     * an endorser that records {@code ChaincodeID{name, version}}; empty when none is registered under the name.
     */
    public Optional<ChaincodeID> chaincodeId(String chaincodeName) {
        return ready(chaincodeName).map(ChaincodeHandler::chaincodeId);
    }

    /** The IDs the ready chaincode processes registered with (package IDs, or {@code name[:version]}), sorted. */
    public List<String> registered() {
        return handlers.keySet().stream().filter(this::isRegistered).sorted().toList();
    }

    /** How many streams are connected but not registered (bounded by the limit). */
    public int streamsUnregistered() {
        return streamsUnregistered.get();
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
     * The whole execution, chaincode-to-chaincode invocations included, ends by one deadline
     * ({@link ChaincodeLimits#executeTimeout()}); once it returns or throws, the chaincode's requests for the
     * transaction are refused and the simulation is over.
     *
     * @throws ChaincodeExecutionException with Fabric's message when there is no answer: unknown channel
     *     ({@code failed to find ledger for channel: X}), chaincode not registered ({@code make sure the chaincode
     *     X has been successfully defined on channel C and try again: chaincode X not found}), timeout
     *     ({@code failed to execute transaction T: error sending: timeout expired while executing transaction}),
     *     stream ended, or the chaincode answered {@code ERROR} ({@code transaction returned with failure: ...})
     */
    public ChaincodeResult execute(String chaincodeName, ChaincodeInput input, TransactionContext context) {
        return ChaincodeExecutor.resolveAndExecute(this, resolver, ledgers, chaincodeName, input, context);
    }

    /**
     * As {@link #execute(String, ChaincodeInput, TransactionContext)} for a chaincode already resolved (the
     * endorser asked lifecycle), over the transaction's simulator: its reads so far stay in the read/write set.
     *
     * @param chaincodeName the chaincode the client calls, its state namespace
     * @param registeredId the ID of the process to run it ({@link ChaincodeResolver#registeredId})
     */
    @Override
    public ChaincodeResult execute(String chaincodeName, String registeredId, ChaincodeInput input,
            TransactionContext context, TxSimulator simulator) {
        ChannelLedger ledger = ledgers.apply(context.channelId()).orElseThrow(() ->
                ChaincodeAnswers.noLedger(context.channelId()));
        String txId = context.txId();
        try {
            checkOpen();
            Optional<ChaincodeHandler> started;
            try {
                started = readyOrStarted(registeredId, Long.MAX_VALUE);
            } catch (ChaincodeExecutionException e) {
                throw ChaincodeAnswers.failedToExecute(txId, e);
            }
            ChaincodeHandler handler = started.orElseThrow(() -> notRunning(chaincodeName, registeredId,
                    context.channelId(), txId));
            // As Fabric: the execute timeout starts once the chaincode runs (launching has its own timeout).
            long deadlineNanos = System.nanoTime() + limits.executeTimeout().toNanos();
            ChaincodeMessage answer;
            try {
                answer = send(handler, new Invocation(context, chaincodeName, simulator, ledger, 0, deadlineNanos),
                        input);
            } catch (ChaincodeExecutionException e) {
                throw ChaincodeAnswers.failedToExecute(txId, e);
            }
            return result(handler, chaincodeName, txId, answer, simulator);
        } finally {
            simulator.done();
        }
    }

    /**
     * The ready handler for {@code registeredId}; failing that, once the {@link #starter} brought it up (a
     * package the node launches or dials), waiting at most {@code waitNanosMax}.
     *
     * @throws ChaincodeExecutionException the starter's reason ({@code could not launch chaincode P: ...})
     */
    private Optional<ChaincodeHandler> readyOrStarted(String registeredId, long waitNanosMax) {
        Optional<ChaincodeHandler> handler = ready(registeredId);
        if (handler.isPresent()) {
            return handler;
        }
        starter.awaitStarted(registeredId, waitNanosMax);
        return ready(registeredId);
    }

    /**
     * No process ready for the chaincode ({@link ChaincodeAnswers#notRunning}); a package that could not be
     * launched reads as a failed execution, as in Fabric.
     */
    private static ChaincodeExecutionException notRunning(String chaincodeName, String registeredId,
            String channelId, String txId) {
        ChaincodeExecutionException why = ChaincodeAnswers.notRunning(chaincodeName, registeredId, channelId);
        return registeredId.equals(chaincodeName) ? why : ChaincodeAnswers.failedToExecute(txId, why);
    }

    /** Fabric's {@code processChaincodeExecutionResult} ({@link ChaincodeAnswers#result}). */
    private static ChaincodeResult result(ChaincodeHandler handler, String chaincodeName, String txId,
                                          ChaincodeMessage answer, TxSimulator simulator) {
        return ChaincodeAnswers.result(handler.chaincodeId(), chaincodeName, txId, answer, simulator);
    }

    /**
     * {@code INVOKE_CHAINCODE}: the called chaincode runs in the same transaction, simulator and deadline; its
     * answer ({@code COMPLETED} or {@code ERROR}) goes back to the caller as it is, as Fabric does.
     *
     * @throws ChaincodeExecutionException with Fabric's {@code execute failed: ...} message
     */
    ChaincodeMessage invokeNested(Invocation caller, ChaincodeSpec spec) {
        NestedCallee callee = NestedCallee.resolve(caller, spec, limits, resolver, this::checkOpen);
        Optional<ChaincodeHandler> started;
        try {
            started = readyOrStarted(callee.registeredId(), Math.max(caller.nanosLeft(), 0));
        } catch (ChaincodeExecutionException e) {
            throw NestedCallee.failed(e);
        }
        ChaincodeHandler handler = started.orElseThrow(callee::notFound);
        try {
            return send(handler, caller.nested(callee.name()), spec.getInput());
        } catch (ChaincodeExecutionException e) {
            throw NestedCallee.failed(e);
        }
    }

    /** Fabric's {@code ChaincodeSupport.execute}: the handler's failure, as {@code error sending: ...}. */
    private static ChaincodeMessage send(ChaincodeHandler handler, Invocation invocation, ChaincodeInput input) {
        try {
            return handler.execute(invocation, input);
        } catch (ChaincodeExecutionException e) {
            throw ChaincodeAnswers.errorSending(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ChaincodeExecutionException("the chaincode runtime is closed");
        }
    }

    /**
     * The ready handler registered with exactly {@code id}; failing that, one registered as {@code id:version}
     * (development mode, where a transaction names the chaincode without its version).
     */
    private Optional<ChaincodeHandler> ready(String id) {
        ChaincodeHandler handler = handlers.get(id);
        if (handler == null) {
            handler = handlers.values().stream().filter(h -> h.chaincodeId().getName().equals(id)
                    && !h.chaincodeId().getVersion().isEmpty()).findFirst().orElse(null);
        }
        return handler != null && handler.state() == ChaincodeHandler.State.READY
                ? Optional.of(handler) : Optional.empty();
    }

    ExecutorService requestExecutor() {
        return requestExecutor;
    }

    /** Records a handler under its chaincode name; false when the name is taken or the runtime closed. */
    boolean register(ChaincodeHandler handler) {
        Assert.that(!handler.registeredId().isEmpty(), "registering a handler without an ID");
        return !closed && handlers.putIfAbsent(handler.registeredId(), handler) == null;
    }

    /** A stream that counted as unregistered registered, was refused or ended. */
    void unregisteredLeft() {
        int left = streamsUnregistered.decrementAndGet();
        Assert.that(left >= 0, "unregistered streams=%d", left);
    }

    void ready(ChaincodeHandler handler) {
        signal();
    }

    /** A stream ended. */
    void deregister(ChaincodeHandler handler) {
        streams.remove(handler);
        if (handlers.remove(handler.registeredId(), handler)) {
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

    /** Ends every chaincode stream and stops the request threads and the timer. */
    @Override
    public void close() {
        closed = true;
        for (ChaincodeHandler handler : List.copyOf(streams)) {
            handler.close();
        }
        timer.shutdownNow();
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
