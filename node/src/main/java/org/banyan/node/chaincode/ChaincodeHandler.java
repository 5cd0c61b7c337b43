package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.ledger.simulation.RangeIterator;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;

/**
 * The peer's end of one chaincode stream ({@code ChaincodeSupport/Register}), after Fabric's
 * {@code core/chaincode/handler.go}.
 *
 * <pre>
 * CREATED --REGISTER / send REGISTERED, READY--> READY --stream ends--> ENDED
 * </pre>
 *
 * <p>In READY the peer sends {@code TRANSACTION} or {@code INIT} ({@link #execute}); the chaincode's requests for
 * that transaction (matched by channel ID + tx ID) are answered {@code RESPONSE} or {@code ERROR} with Fabric's
 * message ({@code <TYPE> failed: transaction ID: <txid>: <cause>}); {@code COMPLETED} or {@code ERROR} from the
 * chaincode ends the transaction. A message the state does not allow ends the stream, as in Fabric.
 *
 * <p>Threads: gRPC delivers messages on its executor; each request is served on a virtual thread (so a request
 * that invokes another chaincode blocks nothing else), at most {@link ChaincodeLimits#requestsInFlightMax()} at
 * once; one transaction's requests are served one at a time; sends are serialised by a lock.
 */
final class ChaincodeHandler implements StreamObserver<ChaincodeMessage> {
    private static final System.Logger LOG = System.getLogger(ChaincodeHandler.class.getName());

    enum State { CREATED, READY, ENDED }

    private final ChaincodeRuntime runtime;
    private final StreamObserver<ChaincodeMessage> out;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Semaphore requestsInFlight;
    private final Map<String, TxCall> calls = new ConcurrentHashMap<>();
    private volatile State state = State.CREATED;
    private volatile String chaincodeName = "";

    ChaincodeHandler(ChaincodeRuntime runtime, StreamObserver<ChaincodeMessage> out) {
        this.runtime = runtime;
        this.out = out;
        this.requestsInFlight = new Semaphore(runtime.limits().requestsInFlightMax());
    }

    /** The name the chaincode registered with, empty before REGISTER. */
    String chaincodeName() {
        return chaincodeName;
    }

    State state() {
        return state;
    }

    @Override
    public void onNext(ChaincodeMessage message) {
        switch (state) {
            case CREATED -> {
                if (message.getType() == ChaincodeMessage.Type.REGISTER) {
                    register(message);
                } else {
                    fail(String.format("[%s] Fabric side handler cannot handle message (%s) while in created state",
                            shortTxId(message.getTxid()), message.getType()));
                }
            }
            case READY -> onReadyMessage(message);
            case ENDED -> { }
        }
    }

    @Override
    public void onError(Throwable t) {
        end("chaincode stream terminated: " + Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end("chaincode stream terminated");
        completeStream();
    }

    /**
     * Sends {@code TRANSACTION} (or {@code INIT}) and waits for the chaincode's {@code COMPLETED} or {@code ERROR}.
     *
     * @throws ChaincodeExecutionException on timeout, stream end, or a transaction already running with the ID
     */
    ChaincodeMessage execute(Invocation invocation, ChaincodeInput input) {
        TransactionContext context = invocation.context();
        String key = context.channelId() + context.txId();
        TxCall call = new TxCall(invocation);
        if (calls.putIfAbsent(key, call) != null) {
            throw new ChaincodeExecutionException("txid: " + context.txId() + "(" + context.channelId() + ") exists");
        }
        try {
            if (state != State.READY) {
                throw new ChaincodeExecutionException("chaincode stream terminated");
            }
            send(ChaincodeMessage.newBuilder()
                    .setType(context.init() ? ChaincodeMessage.Type.INIT : ChaincodeMessage.Type.TRANSACTION)
                    .setPayload(input.toByteString())
                    .setTxid(context.txId())
                    .setChannelId(context.channelId())
                    .setProposal(context.signedProposal())
                    .build());
            long timeoutNanos = runtime.limits().executeTimeout().toNanos();
            return call.done.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ChaincodeExecutionException("timeout expired while executing transaction");
        } catch (ExecutionException e) {
            throw new ChaincodeExecutionException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaincodeExecutionException("interrupted while executing transaction");
        } finally {
            calls.remove(key, call);
            call.closeCursors();
        }
    }

    private void register(ChaincodeMessage message) {
        ChaincodeID id;
        try {
            id = ChaincodeID.parseFrom(message.getPayload());
        } catch (InvalidProtocolBufferException e) {
            fail("error in received [REGISTER], could NOT unmarshal registration info: " + e.getMessage());
            return;
        }
        if (id.getName().isEmpty()) {
            fail("error in received [REGISTER]: empty chaincode name");
            return;
        }
        chaincodeName = id.getName();
        if (!runtime.register(this)) {
            fail("duplicate chaincodeID: " + chaincodeName);
            return;
        }
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
        state = State.READY;
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
        runtime.ready(this);
        LOG.log(System.Logger.Level.INFO, "chaincode {0} registered", chaincodeName);
    }

    private void onReadyMessage(ChaincodeMessage message) {
        switch (message.getType()) {
            case KEEPALIVE -> { }
            case COMPLETED, ERROR -> {
                TxCall call = calls.get(message.getChannelId() + message.getTxid());
                if (call == null) {
                    LOG.log(System.Logger.Level.WARNING, "[{0}] {1} for no running transaction, dropped",
                            shortTxId(message.getTxid()), message.getType());
                } else {
                    call.done.complete(message);
                }
            }
            case GET_STATE, GET_STATE_METADATA, PUT_STATE, PUT_STATE_METADATA, DEL_STATE, GET_STATE_BY_RANGE,
                 QUERY_STATE_NEXT, QUERY_STATE_CLOSE, GET_QUERY_RESULT, GET_HISTORY_FOR_KEY, INVOKE_CHAINCODE,
                 GET_PRIVATE_DATA_HASH, PURGE_PRIVATE_DATA -> {
                if (!requestsInFlight.tryAcquire()) {
                    send(error(message, "too many requests in flight (" + runtime.limits().requestsInFlightMax() + ")"));
                    return;
                }
                runtime.requestExecutor().execute(() -> {
                    try {
                        send(serve(message));
                    } catch (Throwable t) {
                        // Whatever failed (an Error included), the chaincode must get an answer, not wait for its
                        // timeout, and the cause must be seen.
                        LOG.log(System.Logger.Level.ERROR, "serving " + message.getType() + " failed", t);
                        send(error(message, "internal error: " + t));
                    } finally {
                        requestsInFlight.release();
                    }
                });
            }
            default -> fail(String.format("[%s] Fabric side handler cannot handle message (%s) while in ready state",
                    shortTxId(message.getTxid()), message.getType()));
        }
    }

    /** Answers one request of a running transaction. */
    private ChaincodeMessage serve(ChaincodeMessage message) {
        TxCall call = calls.get(message.getChannelId() + message.getTxid());
        if (call == null) {
            return error(message, String.format("[%s] No ledger context for %s. Sending %s",
                    shortTxId(message.getTxid()), message.getType(), ChaincodeMessage.Type.ERROR));
        }
        call.lock.lock();
        try {
            ByteString payload = dispatch(message, call);
            return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE).setPayload(payload)
                    .setTxid(message.getTxid()).setChannelId(message.getChannelId()).build();
        } catch (InvalidProtocolBufferException e) {
            return error(message, "unmarshal failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // Simulation refusals, bad keys, storage failures, failed nested invocations: the chaincode sees them.
            return error(message, e.getMessage());
        } finally {
            call.lock.unlock();
        }
    }

    private ByteString dispatch(ChaincodeMessage message, TxCall call) throws InvalidProtocolBufferException {
        Invocation invocation = call.invocation;
        TxSimulator simulator = invocation.simulator();
        String ns = invocation.chaincodeName();
        switch (message.getType()) {
            case GET_STATE -> {
                GetState request = GetState.parseFrom(message.getPayload());
                checkNoCollection(invocation, request.getCollection());
                return simulator.getState(ns, request.getKey()).orElse(ByteString.EMPTY);
            }
            case GET_STATE_METADATA -> {
                GetStateMetadata request = GetStateMetadata.parseFrom(message.getPayload());
                checkNoCollection(invocation, request.getCollection());
                StateMetadataResult.Builder result = StateMetadataResult.newBuilder();
                simulator.getStateMetadata(ns, request.getKey()).forEach((name, value) ->
                        result.addEntries(StateMetadata.newBuilder().setMetakey(name).setValue(value)));
                return result.build().toByteString();
            }
            case PUT_STATE -> {
                PutState request = PutState.parseFrom(message.getPayload());
                checkNoCollection(invocation, request.getCollection());
                simulator.putState(ns, request.getKey(), request.getValue());
                return ByteString.EMPTY;
            }
            case PUT_STATE_METADATA -> {
                PutStateMetadata request = PutStateMetadata.parseFrom(message.getPayload());
                checkNoCollection(invocation, request.getCollection());
                // As Fabric: the request carries one entry, which becomes the key's metadata.
                simulator.setStateMetadata(ns, request.getKey(),
                        Map.of(request.getMetadata().getMetakey(), request.getMetadata().getValue()));
                return ByteString.EMPTY;
            }
            case DEL_STATE -> {
                DelState request = DelState.parseFrom(message.getPayload());
                checkNoCollection(invocation, request.getCollection());
                simulator.deleteState(ns, request.getKey());
                return ByteString.EMPTY;
            }
            case GET_STATE_BY_RANGE -> {
                return getStateByRange(call, GetStateByRange.parseFrom(message.getPayload()));
            }
            case QUERY_STATE_NEXT -> {
                QueryCursor cursor = call.cursors.get(QueryStateNext.parseFrom(message.getPayload()).getId());
                if (cursor == null) {
                    throw new IllegalStateException("query iterator not found");
                }
                return respond(call, cursor);
            }
            case QUERY_STATE_CLOSE -> {
                String id = QueryStateClose.parseFrom(message.getPayload()).getId();
                QueryCursor cursor = call.cursors.remove(id);
                if (cursor != null) {
                    cursor.close();
                }
                return QueryResponse.newBuilder().setHasMore(false).setId(id).build().toByteString();
            }
            case GET_QUERY_RESULT -> throw new IllegalStateException("ExecuteQuery not supported for leveldb");
            case GET_HISTORY_FOR_KEY -> {
                String key = GetHistoryForKey.parseFrom(message.getPayload()).getKey();
                QueryCursor cursor = open(call, new HistorySource(invocation.ledger(), ns, key), false,
                        runtime.limits().totalQueryLimit());
                return respond(call, cursor);
            }
            case INVOKE_CHAINCODE -> {
                ChaincodeSpec spec = ChaincodeSpec.parseFrom(message.getPayload());
                return runtime.invokeNested(invocation, spec).toByteString();
            }
            case GET_PRIVATE_DATA_HASH, PURGE_PRIVATE_DATA -> {
                throw noCollection(invocation, "");
            }
            default -> throw new AssertionError("unexpected request type " + message.getType());
        }
    }

    private ByteString getStateByRange(TxCall call, GetStateByRange request) throws InvalidProtocolBufferException {
        Invocation invocation = call.invocation;
        checkNoCollection(invocation, request.getCollection());
        QueryMetadata metadata = request.getMetadata().isEmpty()
                ? null : QueryMetadata.parseFrom(request.getMetadata());
        boolean paginated = metadata != null && (metadata.getPageSize() > 0 || !metadata.getBookmark().isEmpty());
        int totalReturnLimit = runtime.limits().totalQueryLimit();
        if (metadata != null && metadata.getPageSize() > 0 && metadata.getPageSize() < totalReturnLimit) {
            totalReturnLimit = metadata.getPageSize();
        }
        RangeIterator scan;
        if (paginated) {
            // As Fabric: the bookmark (the first key of the next page) replaces the start key.
            String start = metadata.getBookmark().isEmpty() ? request.getStartKey() : metadata.getBookmark();
            scan = invocation.simulator().rangeScanWithPagination(invocation.chaincodeName(), start,
                    request.getEndKey(), totalReturnLimit);
        } else {
            scan = invocation.simulator().rangeScan(invocation.chaincodeName(), request.getStartKey(),
                    request.getEndKey());
        }
        return respond(call, open(call, new RangeSource(scan), paginated, totalReturnLimit));
    }

    private QueryCursor open(TxCall call, QueryCursor.Source source, boolean paginated, int totalReturnLimit) {
        QueryCursor cursor = new QueryCursor(UUID.randomUUID().toString(), source, paginated, totalReturnLimit,
                runtime.limits().queryBatchSizeMax());
        call.cursors.put(cursor.id(), cursor);
        return cursor;
    }

    private static ByteString respond(TxCall call, QueryCursor cursor) {
        QueryResponse response = cursor.nextResponse();
        if (cursor.closed()) {
            call.cursors.remove(cursor.id());
        }
        return response.toByteString();
    }

    private static void checkNoCollection(Invocation invocation, String collection) {
        if (!collection.isEmpty()) {
            throw noCollection(invocation, collection);
        }
    }

    private static IllegalStateException noCollection(Invocation invocation, String collection) {
        return new IllegalStateException("collection " + invocation.context().channelId() + "/"
                + invocation.chaincodeName() + "/" + collection
                + " could not be found (Banyan has no private data collections)");
    }

    private static ChaincodeMessage error(ChaincodeMessage request, String cause) {
        String message = request.getType() + " failed: transaction ID: " + request.getTxid() + ": " + cause;
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(message))
                .setTxid(request.getTxid()).setChannelId(request.getChannelId()).build();
    }

    private void send(ChaincodeMessage message) {
        sendLock.lock();
        try {
            if (state != State.ENDED) {
                out.onNext(message);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "[" + shortTxId(message.getTxid()) + "] sending "
                    + message.getType() + " to chaincode " + chaincodeName + " failed", e);
        } finally {
            sendLock.unlock();
        }
    }

    /** Ends the stream with an error the chaincode sees, as Fabric ends it on a protocol violation. */
    private void fail(String reason) {
        LOG.log(System.Logger.Level.WARNING, "chaincode stream {0}: {1}", chaincodeName, reason);
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(reason)).build());
        end("chaincode stream terminated: " + reason);
        sendLock.lock();
        try {
            out.onError(Status.FAILED_PRECONDITION.withDescription(reason).asRuntimeException());
        } catch (RuntimeException e) {
            // the call is already closed
        } finally {
            sendLock.unlock();
        }
    }

    /** Deregisters and fails every running transaction. */
    void end(String reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        runtime.deregister(this);
        for (TxCall call : calls.values()) {
            call.done.completeExceptionally(new ChaincodeExecutionException(reason));
        }
    }

    /** Ends the stream from the peer's side (runtime shutdown). */
    void close() {
        end("chaincode stream terminated: the node is shutting down");
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
        final CompletableFuture<ChaincodeMessage> done = new CompletableFuture<>();
        final ReentrantLock lock = new ReentrantLock();
        final Map<String, QueryCursor> cursors = new ConcurrentHashMap<>();

        TxCall(Invocation invocation) {
            this.invocation = invocation;
        }

        void closeCursors() {
            lock.lock();
            try {
                cursors.values().forEach(QueryCursor::close);
                cursors.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A range scan as query results: each key as {@code queryresult.KV}. */
    private record RangeSource(RangeIterator scan) implements QueryCursor.Source {
        @Override
        public Optional<ByteString> next() {
            return scan.next().map(entry -> KV.newBuilder().setNamespace(scan.namespace()).setKey(entry.key())
                    .setValue(entry.value().value()).build().toByteString());
        }

        @Override
        public String bookmark() {
            return scan.bookmark();
        }

        @Override
        public void close() {
            scan.close();
        }
    }
}
