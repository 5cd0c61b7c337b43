package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetQueryResult;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;

/**
 * The peer's end of one chaincode stream ({@code ChaincodeSupport/Register}), after Fabric's
 * {@code core/chaincode/handler.go}.
 *
 * <pre>
 * CREATED --REGISTER / send REGISTERED--> ESTABLISHED --send READY--> READY --stream ends--> ENDED
 * CREATED --no REGISTER within registerTimeout, or too many streams waiting--> ENDED
 * </pre>
 *
 * <p>In READY the peer sends {@code TRANSACTION} or {@code INIT} ({@link #execute}); the chaincode's requests for
 * that transaction (matched by channel ID + tx ID) are answered {@code RESPONSE} or {@code ERROR} with Fabric's
 * message ({@code <TYPE> failed: transaction ID: <txid>: <cause>}); {@code COMPLETED} or {@code ERROR} from the
 * chaincode ends the transaction. Once {@link #execute} returns (answered, timed out or failed) the transaction's
 * requests are answered {@code no ledger context}, as Fabric answers a request with no transaction context. A
 * message the state does not allow ends the stream, as in Fabric.
 *
 * <p>Threads and bounds: gRPC delivers messages on its executor; each request is served on a virtual thread (so a
 * request that invokes another chaincode blocks nothing else), at most {@link ChaincodeLimits#requestsInFlightMax()}
 * at once; one transaction has at most one request being served — a second one sent before the first was
 * answered is dropped, as Fabric's handler drops it — and at most
 * {@link ChaincodeLimits#queryCursorsPerTransactionMax()} open query iterators. Sends are serialised by a lock and
 * follow gRPC flow control: a send waits up to {@link ChaincodeLimits#sendTimeout()} for the chaincode to read its
 * stream, then ends the stream.
 */
final class ChaincodeHandler implements StreamObserver<ChaincodeMessage> {
    private static final System.Logger LOG = System.getLogger(ChaincodeHandler.class.getName());
    /** Fabric's {@code ErrorStreamTerminated}. */
    static final String STREAM_TERMINATED = "chaincode stream terminated";

    enum State { CREATED, ESTABLISHED, READY, ENDED }

    private final ChaincodeRuntime runtime;
    private final StreamObserver<ChaincodeMessage> out;
    private final String expectedId;
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Signalled when gRPC says the stream takes messages again. */
    private final Condition writable = sendLock.newCondition();
    /** Orders registration against the end of the stream. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Semaphore requestsInFlight;
    private final Map<String, TxCall> calls = new ConcurrentHashMap<>();
    /** Set once the stream left CREATED (registered, refused, timed out, ended), so it is counted out once. */
    private final AtomicBoolean leftCreated = new AtomicBoolean();
    private volatile State state = State.CREATED;
    private volatile ChaincodeID chaincodeId = ChaincodeID.getDefaultInstance();
    /** The whole ID the process registered with: a package ID ({@code label:hash}), or {@code name[:version]}. */
    private volatile String registeredId = "";
    private volatile ScheduledFuture<?> registerTimeout;

    ChaincodeHandler(ChaincodeRuntime runtime, StreamObserver<ChaincodeMessage> out) {
        this(runtime, out, "");
    }

    /**
     * @param expectedId the only ID the chaincode may register with (a stream the node dialled for a package),
     *     or empty for any
     */
    ChaincodeHandler(ChaincodeRuntime runtime, StreamObserver<ChaincodeMessage> out, String expectedId) {
        this.runtime = runtime;
        this.out = out;
        this.expectedId = expectedId;
        this.requestsInFlight = new Semaphore(runtime.limits().requestsInFlightMax());
    }

    /**
     * Hooks gRPC flow control; call before the stream is returned to gRPC (for a stream the node dialled, in
     * {@code beforeStart}).
     */
    void start() {
        if (out instanceof CallStreamObserver<ChaincodeMessage> call) {
            call.setOnReadyHandler(this::onWritable);
        }
    }

    /** The name and version the chaincode registered with (Fabric's {@code name:version}); empty before. */
    String registeredId() {
        return registeredId;
    }

    ChaincodeID chaincodeId() {
        return chaincodeId;
    }

    State state() {
        return state;
    }

    /** Counts the stream as waiting to register until it does, or until {@code timeout} fires. */
    void awaitRegister(ScheduledFuture<?> timeout) {
        registerTimeout = timeout;
        if (leftCreated.get()) {
            timeout.cancel(false);
        }
    }

    /** The register timeout fired. */
    void registerTimedOut() {
        if (leaveCreated()) {
            fail("chaincode did not register within " + runtime.limits().registerTimeout().toMillis() + " ms");
        }
    }

    /** Ends a stream the runtime does not take (not counted as waiting to register). */
    void refuse(String reason) {
        leftCreated.set(true);
        fail(reason);
    }

    @Override
    public void onNext(ChaincodeMessage message) {
        switch (state) {
            case CREATED -> {
                if (message.getType() == ChaincodeMessage.Type.REGISTER) {
                    register(message);
                } else {
                    fail(String.format("[%s] Fabric side handler cannot handle message (%s) while in created state",
                            message.getTxid(), message.getType()));
                }
            }
            case READY -> onReadyMessage(message);
            case ESTABLISHED, ENDED -> { }
        }
    }

    @Override
    public void onError(Throwable t) {
        end(STREAM_TERMINATED + ": " + Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end(STREAM_TERMINATED);
        completeStream();
    }

    /**
     * Sends {@code TRANSACTION} (or {@code INIT}) and waits, until the invocation's deadline, for the chaincode's
     * {@code COMPLETED} or {@code ERROR}. When it returns or throws, the transaction's requests already accepted
     * have been answered and later ones are refused.
     *
     * @throws ChaincodeExecutionException with Fabric's message: timeout, stream ended, or a transaction already
     *     running with the ID
     */
    ChaincodeMessage execute(Invocation invocation, ChaincodeInput input) {
        TransactionContext context = invocation.context();
        String key = key(context.channelId(), context.txId());
        TxCall call = new TxCall(invocation, runtime.limits());
        if (calls.putIfAbsent(key, call) != null) {
            throw ChaincodeAnswers.alreadyRunning(context);
        }
        try {
            if (state != State.READY) {
                throw new ChaincodeExecutionException(STREAM_TERMINATED);
            }
            if (invocation.nanosLeft() <= 0) {
                throw new ChaincodeExecutionException(ChaincodeRuntime.TIMEOUT);
            }
            send(ChaincodeMessage.newBuilder()
                    .setType(context.init() ? ChaincodeMessage.Type.INIT : ChaincodeMessage.Type.TRANSACTION)
                    .setPayload(input.toByteString())
                    .setTxid(context.txId())
                    .setChannelId(context.channelId())
                    .setProposal(context.signedProposal())
                    .build());
            return call.done.get(Math.max(invocation.nanosLeft(), 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ChaincodeExecutionException(ChaincodeRuntime.TIMEOUT);
        } catch (ExecutionException e) {
            throw new ChaincodeExecutionException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaincodeExecutionException("interrupted while executing transaction");
        } finally {
            call.close();
            calls.remove(key, call);
        }
    }

    /** Claims the way out of CREATED; true for the one caller that gets it, which counts the stream out. */
    private boolean leaveCreated() {
        if (!leftCreated.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> timeout = registerTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        runtime.unregisteredLeft();
        return true;
    }

    private void register(ChaincodeMessage message) {
        if (!leaveCreated()) {
            return; // timed out or refused meanwhile; the stream is ending
        }
        ChaincodeID id;
        try {
            id = ChaincodeID.parseFrom(message.getPayload());
        } catch (InvalidProtocolBufferException e) {
            fail("error in received [REGISTER], could NOT unmarshal registration info: " + e.getMessage());
            return;
        }
        // Fabric keys registrations by the whole ID, name:version in development mode; Banyan serves the name.
        ChaincodeName name = ChaincodeName.parse(id.getName());
        if (name.name().isEmpty() || !name.channel().isEmpty()) {
            fail("error in handling register chaincode, chaincodeID name is "
                    + (id.getName().isEmpty() ? "empty" : "not name[:version]: " + id.getName()));
            return;
        }
        if (!expectedId.isEmpty() && !expectedId.equals(id.getName())) {
            fail("chaincode registered as " + id.getName() + " on a connection the node opened for " + expectedId);
            return;
        }
        chaincodeId = ChaincodeID.newBuilder().setName(name.name()).setVersion(name.version()).build();
        registeredId = id.getName();
        boolean registered;
        stateLock.lock();
        try {
            if (state == State.ENDED) {
                return;
            }
            registered = runtime.register(this);
            if (registered) {
                state = State.ESTABLISHED;
            }
        } finally {
            stateLock.unlock();
        }
        if (!registered) {
            fail("duplicate chaincodeID: " + id.getName());
            return;
        }
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
        stateLock.lock();
        try {
            if (state == State.ESTABLISHED) {
                state = State.READY;
            }
        } finally {
            stateLock.unlock();
        }
        runtime.ready(this);
        LOG.log(System.Logger.Level.INFO, "chaincode {0} registered", id.getName());
    }

    private void onReadyMessage(ChaincodeMessage message) {
        switch (message.getType()) {
            case KEEPALIVE -> { }
            case COMPLETED, ERROR -> {
                TxCall call = calls.get(key(message.getChannelId(), message.getTxid()));
                if (call == null) {
                    LOG.log(System.Logger.Level.WARNING, "[{0}] {1} for no running transaction, dropped",
                            shortTxId(message.getTxid()), message.getType());
                } else {
                    call.done.complete(message);
                }
            }
            case GET_STATE, GET_STATE_METADATA, PUT_STATE, PUT_STATE_METADATA, DEL_STATE, GET_STATE_BY_RANGE,
                 QUERY_STATE_NEXT, QUERY_STATE_CLOSE, GET_QUERY_RESULT, GET_HISTORY_FOR_KEY, INVOKE_CHAINCODE,
                 GET_PRIVATE_DATA_HASH, PURGE_PRIVATE_DATA -> accept(message);
            default -> fail(String.format("[%s] Fabric side handler cannot handle message (%s) while in ready state",
                    message.getTxid(), message.getType()));
        }
    }

    /** Takes a request to serve on its own thread, within the bounds. */
    private void accept(ChaincodeMessage request) {
        TxCall call = calls.get(key(request.getChannelId(), request.getTxid()));
        if (call != null && !call.requestPending.compareAndSet(false, true)) {
            // As Fabric's registerTxid: the shim sends one request per transaction at a time, so a second one is
            // a misbehaving chaincode; an answer to it would be taken for the answer to the first.
            LOG.log(System.Logger.Level.WARNING, "[{0}] another request pending for chaincode {1}, transaction {2},"
                    + " channel {3}: {4} dropped", shortTxId(request.getTxid()), chaincodeId.getName(),
                    request.getTxid(), request.getChannelId(), request.getType());
            return;
        }
        if (!requestsInFlight.tryAcquire()) {
            if (call != null) {
                call.requestPending.set(false);
            }
            send(error(request, "too many requests in flight on this chaincode stream (max "
                    + runtime.limits().requestsInFlightMax() + ")"));
            return;
        }
        try {
            runtime.requestExecutor().execute(() -> serveAndAnswer(request, call));
        } catch (RejectedExecutionException e) {
            requestsInFlight.release(); // the runtime is closing; the stream ends with it
        }
    }

    private void serveAndAnswer(ChaincodeMessage request, TxCall call) {
        try {
            ChaincodeMessage response;
            try {
                response = serve(request, call);
            } catch (Throwable t) {
                // Whatever failed (an Error included), the chaincode must get an answer, not wait for its
                // timeout, and the cause must be seen.
                LOG.log(System.Logger.Level.ERROR, "serving " + request.getType() + " failed", t);
                response = error(request, "internal error: " + t);
            } finally {
                if (call != null) {
                    // Before the answer, as Fabric: the shim sends the next request as soon as it has it.
                    call.requestPending.set(false);
                }
            }
            send(response);
        } finally {
            requestsInFlight.release();
        }
    }

    /** Answers one request of a running transaction. */
    private ChaincodeMessage serve(ChaincodeMessage message, TxCall call) {
        if (call == null) {
            return error(message, noLedgerContext(message));
        }
        try {
            // The transaction's lock orders the request after those before it; once the transaction completed or
            // timed out, its simulation is over and the request is refused (no ledger context).
            ByteString payload = call.requests.serve(message.getType() == ChaincodeMessage.Type.INVOKE_CHAINCODE,
                    () -> dispatch(message, call));
            return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE).setPayload(payload)
                    .setTxid(message.getTxid()).setChannelId(message.getChannelId()).build();
        } catch (InvalidProtocolBufferException e) {
            return error(message, "unmarshal failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // Simulation refusals, bad keys, storage failures, failed nested invocations: the chaincode sees them.
            return error(message, e.getMessage());
        }
    }

    /** Fabric's {@code isValidTxSim} messages for a request with no transaction context. */
    private static String noLedgerContext(ChaincodeMessage message) {
        return message.getType() == ChaincodeMessage.Type.INVOKE_CHAINCODE
                ? "could not get valid transaction" : "no ledger context";
    }

    /** Decodes a request, has {@link ChaincodeRequests} serve it, encodes the answer. */
    private ByteString dispatch(ChaincodeMessage message, TxCall call) throws InvalidProtocolBufferException {
        ChaincodeRequests requests = call.requests;
        switch (message.getType()) {
            case GET_STATE -> {
                GetState request = GetState.parseFrom(message.getPayload());
                return requests.getState(request.getCollection(), request.getKey()).orElse(ByteString.EMPTY);
            }
            case GET_STATE_METADATA -> {
                GetStateMetadata request = GetStateMetadata.parseFrom(message.getPayload());
                StateMetadataResult.Builder result = StateMetadataResult.newBuilder();
                requests.getStateMetadata(request.getCollection(), request.getKey()).forEach((name, value) ->
                        result.addEntries(StateMetadata.newBuilder().setMetakey(name).setValue(value)));
                return result.build().toByteString();
            }
            case PUT_STATE -> {
                PutState request = PutState.parseFrom(message.getPayload());
                requests.putState(request.getCollection(), request.getKey(), request.getValue());
                return ByteString.EMPTY;
            }
            case PUT_STATE_METADATA -> {
                PutStateMetadata request = PutStateMetadata.parseFrom(message.getPayload());
                requests.putStateMetadata(request.getCollection(), request.getKey(),
                        request.getMetadata().getMetakey(), request.getMetadata().getValue());
                return ByteString.EMPTY;
            }
            case DEL_STATE -> {
                DelState request = DelState.parseFrom(message.getPayload());
                requests.delState(request.getCollection(), request.getKey());
                return ByteString.EMPTY;
            }
            case GET_STATE_BY_RANGE -> {
                GetStateByRange request = GetStateByRange.parseFrom(message.getPayload());
                QueryMetadata metadata = queryMetadata(request.getMetadata());
                return QueryCursor.encode(requests.getStateByRange(request.getCollection(), request.getStartKey(),
                        request.getEndKey(), metadata.getPageSize(), metadata.getBookmark())).toByteString();
            }
            case QUERY_STATE_NEXT -> {
                String id = QueryStateNext.parseFrom(message.getPayload()).getId();
                return QueryCursor.encode(requests.queryNext(id)).toByteString();
            }
            case QUERY_STATE_CLOSE -> {
                String id = QueryStateClose.parseFrom(message.getPayload()).getId();
                return QueryCursor.encode(requests.queryClose(id)).toByteString();
            }
            case GET_QUERY_RESULT -> {
                GetQueryResult request = GetQueryResult.parseFrom(message.getPayload());
                QueryMetadata metadata = queryMetadata(request.getMetadata());
                return QueryCursor.encode(requests.getQueryResult(request.getCollection(), request.getQuery(),
                        metadata.getPageSize(), metadata.getBookmark())).toByteString();
            }
            case GET_HISTORY_FOR_KEY -> {
                String key = GetHistoryForKey.parseFrom(message.getPayload()).getKey();
                return QueryCursor.encode(requests.getHistoryForKey(key)).toByteString();
            }
            case INVOKE_CHAINCODE -> {
                ChaincodeSpec spec = ChaincodeSpec.parseFrom(message.getPayload());
                return runtime.invokeNested(call.invocation, spec).toByteString();
            }
            case GET_PRIVATE_DATA_HASH -> {
                GetState request = GetState.parseFrom(message.getPayload());
                return requests.getPrivateDataHash(request.getCollection(), request.getKey());
            }
            case PURGE_PRIVATE_DATA -> {
                DelState request = DelState.parseFrom(message.getPayload());
                requests.purgePrivateData(request.getCollection(), request.getKey());
                return ByteString.EMPTY;
            }
            default -> throw new AssertionError("unexpected request type " + message.getType());
        }
    }

    private static QueryMetadata queryMetadata(ByteString bytes) throws InvalidProtocolBufferException {
        return bytes.isEmpty() ? QueryMetadata.getDefaultInstance() : QueryMetadata.parseFrom(bytes);
    }

    private static ChaincodeMessage error(ChaincodeMessage request, String cause) {
        String message = ChaincodeRequests.errorText(request.getType(), request.getTxid(), cause);
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(message))
                .setTxid(request.getTxid()).setChannelId(request.getChannelId()).build();
    }

    private static String key(String channelId, String txId) {
        return channelId + txId;
    }

    /**
     * Sends one message once the stream takes it (gRPC flow control), waiting up to
     * {@link ChaincodeLimits#sendTimeout()}; a chaincode that does not read its stream that long has its stream
     * ended. Nothing is sent after the stream ended.
     */
    private void send(ChaincodeMessage message) {
        String failure = null;
        Status status = Status.UNAVAILABLE;
        sendLock.lock();
        try {
            if (state == State.ENDED) {
                return;
            }
            if (awaitWritable()) {
                out.onNext(message);
            } else {
                failure = "the chaincode did not read its stream for " + runtime.limits().sendTimeout().toMillis()
                        + " ms";
                status = Status.RESOURCE_EXHAUSTED;
            }
        } catch (RuntimeException e) {
            // As Fabric: a failed send ends the stream (its running transactions fail at once, not at timeout).
            LOG.log(System.Logger.Level.WARNING, "[" + shortTxId(message.getTxid()) + "] sending "
                    + message.getType() + " to chaincode " + chaincodeId.getName() + " failed", e);
            failure = "sending " + message.getType() + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while sending " + message.getType();
        } finally {
            sendLock.unlock();
        }
        if (failure != null) {
            terminate(failure, status);
        }
    }

    /** Waits, holding the send lock, until gRPC takes a message; false when the send timeout passed first. */
    private boolean awaitWritable() throws InterruptedException {
        if (!(out instanceof CallStreamObserver<ChaincodeMessage> call)) {
            return true;
        }
        long left = runtime.limits().sendTimeout().toNanos();
        while (!call.isReady()) {
            if (state == State.ENDED || cancelled(call) || left <= 0) {
                return false;
            }
            left = writable.awaitNanos(left);
        }
        return true;
    }

    private static boolean cancelled(CallStreamObserver<ChaincodeMessage> call) {
        return call instanceof ServerCallStreamObserver<ChaincodeMessage> server && server.isCancelled();
    }

    private void onWritable() {
        sendLock.lock();
        try {
            writable.signalAll();
        } finally {
            sendLock.unlock();
        }
    }

    /** Ends the stream with an error the chaincode sees, as Fabric ends it on a protocol violation. */
    private void fail(String reason) {
        LOG.log(System.Logger.Level.WARNING, "chaincode stream {0}: {1}", chaincodeId.getName(), reason);
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(reason)).build());
        terminate(reason, Status.FAILED_PRECONDITION);
    }

    /** Ends the stream: running transactions fail with the reason, gRPC closes the call with the status. */
    private void terminate(String reason, Status status) {
        end(STREAM_TERMINATED + ": " + reason);
        sendLock.lock();
        try {
            out.onError(status.withDescription(reason).asRuntimeException());
        } catch (RuntimeException e) {
            // the call is already closed
        } finally {
            sendLock.unlock();
        }
    }

    /** Deregisters and fails every running transaction. */
    void end(String reason) {
        stateLock.lock();
        try {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
        } finally {
            stateLock.unlock();
        }
        leaveCreated();
        runtime.deregister(this);
        for (TxCall call : calls.values()) {
            call.done.completeExceptionally(new ChaincodeExecutionException(reason));
        }
        onWritable(); // a send waiting for flow control sees the end
    }

    /** Ends the stream from the peer's side (runtime shutdown). */
    void close() {
        end(STREAM_TERMINATED + ": the node is shutting down");
        completeStream();
    }

    private void completeStream() {
        sendLock.lock();
        try {
            out.onCompleted();
        } catch (RuntimeException e) {
            // the call is already closed
        } finally {
            sendLock.unlock();
        }
    }

    private static String shortTxId(String txId) {
        return txId.length() < 8 ? txId : txId.substring(0, 8);
    }

    /** One running transaction on this stream. */
    private static final class TxCall {
        final Invocation invocation;
        /** The transaction's requests, served one at a time; closed when the execution returns. */
        final ChaincodeRequests requests;
        final CompletableFuture<ChaincodeMessage> done = new CompletableFuture<>();
        /** Set while one of the transaction's requests is being served. */
        final AtomicBoolean requestPending = new AtomicBoolean();

        TxCall(Invocation invocation, ChaincodeLimits limits) {
            this.invocation = invocation;
            this.requests = new ChaincodeRequests(invocation, limits);
        }

        /** Ends the transaction on this stream: waits for a request being served, refuses later ones. */
        void close() {
            requests.close();
        }
    }
}
