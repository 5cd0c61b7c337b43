package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.crypto.Assert;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.simulation.RangeIterator;
import org.banyan.ledger.simulation.TxSimulator;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;

/**
 * The ledger requests of one chaincode in one transaction, served over the transaction's simulator as Fabric's
 * handler serves them ({@code core/chaincode/handler.go}), whatever carries them: {@link ChaincodeHandler} decodes
 * them from a chaincode stream and encodes the answers, the in-process runner
 * ({@code org.banyan.node.chaincode.inprocess}) calls these methods from the chaincode's own thread with nothing
 * encoded. So both give the same values, read/write sets and errors; docs/chaincode.md lists them.
 *
 * <p>Errors: a request Fabric refuses throws a {@link RuntimeException} whose message is the cause Fabric's handler
 * puts after {@code <TYPE> failed: transaction ID: <txid>: } ({@link #errorText}); the simulator's refusals
 * ({@code SimulationException}) pass through with their own message.
 *
 * <p>Threads and bounds: requests are served one at a time under one lock (the shims send one at a time); at most
 * {@link ChaincodeLimits#queryCursorsPerTransactionMax()} queries are open at once. Once {@link #close()}d, when the
 * execution is over, every request is refused with Fabric's {@code no ledger context} ({@code INVOKE_CHAINCODE}:
 * {@code could not get valid transaction}) and changes nothing.
 */
public final class ChaincodeRequests {
    /**
     * One answer to a query request: Fabric's {@code QueryResponse} before it is encoded.
     *
     * @param id the query's ID, for {@link #queryNext} and {@link #queryClose}
     * @param results this batch's results in order
     * @param hasMore true when {@link #queryNext} has more
     * @param page for a paginated query: the records fetched and the bookmark of the next page
     * @param <T> {@code queryresult.KV} for a range, {@code KeyModification} for a history
     */
    public record Batch<T>(String id, List<T> results, boolean hasMore, Optional<Page> page) {}

    /** Fabric's {@code QueryResponseMetadata}: records fetched and the bookmark of the next page (empty: no more). */
    public record Page(int fetchedRecordsCount, String bookmark) {}

    /**
     * Runs the chaincode another chaincode invoked, in the same transaction.
     *
     * @param <R> its answer
     */
    @FunctionalInterface
    public interface NestedRunner<R> {
        /**
         * @param registeredId the process or package that runs the callee ({@link ChaincodeResolver})
         * @param callee the callee's requests: its namespace, the caller's simulator and deadline, one level deeper
         * @return the callee's answer; empty when nothing runs {@code registeredId} here
         * @throws ChaincodeExecutionException when the callee gave no answer (Fabric's {@code error sending: ...})
         */
        Optional<R> run(String registeredId, ChaincodeRequests callee, ChaincodeInput input);
    }

    /** A request run under the transaction's lock. */
    @FunctionalInterface
    public interface Request<R, E extends Exception> {
        R serve() throws E;
    }

    private final Invocation invocation;
    private final ChaincodeLimits limits;
    /** Held while a request is served; guards {@link #cursors}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Open queries by ID, in the order opened. */
    private final Map<String, ResultCursor<? extends MessageLite>> cursors = new LinkedHashMap<>();
    private volatile boolean closed;

    ChaincodeRequests(Invocation invocation, ChaincodeLimits limits) {
        this.invocation = invocation;
        this.limits = limits;
    }

    /**
     * The requests of the chaincode a client called (depth 0).
     *
     * @param chaincodeName the chaincode's name, its namespace
     * @param ledger the channel's ledger (key history)
     * @param deadlineNanos when the whole execution ends, nested invocations included ({@link System#nanoTime()})
     */
    public static ChaincodeRequests open(TransactionContext context, String chaincodeName, TxSimulator simulator,
            ChannelLedger ledger, long deadlineNanos, ChaincodeLimits limits) {
        return new ChaincodeRequests(new Invocation(context, chaincodeName, simulator, ledger, 0, deadlineNanos),
                limits);
    }

    public TransactionContext context() {
        return invocation.context();
    }

    /** The chaincode's name, its namespace. */
    public String chaincodeName() {
        return invocation.chaincodeName();
    }

    /** The transaction's simulator, shared by every chaincode it invokes on the channel. */
    public TxSimulator simulator() {
        return invocation.simulator();
    }

    /** When the whole execution ends ({@link System#nanoTime()}), nested invocations included. */
    public long deadlineNanos() {
        return invocation.deadlineNanos();
    }

    /** 0 for the chaincode the client called, one more per chaincode-to-chaincode invocation. */
    public int depth() {
        return invocation.depth();
    }

    /** Nanoseconds left before the execution's deadline; zero or less once it passed. */
    public long nanosLeft() {
        return invocation.nanosLeft();
    }

    /** {@code <TYPE> failed: transaction ID: <txid>: <cause>}: the text of Fabric's {@code ERROR} answer. */
    public static String errorText(ChaincodeMessage.Type type, String txId, String cause) {
        return type + " failed: transaction ID: " + txId + ": " + cause;
    }

    /**
     * Runs one request under the transaction's lock, after the requests before it.
     *
     * @param invoke true for {@code INVOKE_CHAINCODE} (its refusal once the transaction is over differs)
     * @throws IllegalStateException {@code no ledger context} (or {@code could not get valid transaction}) once
     *     the transaction is over
     */
    public <R, E extends Exception> R serve(boolean invoke, Request<R, E> request) throws E {
        lock.lock();
        try {
            if (closed) {
                // Fabric's isValidTxSim: the transaction completed or timed out; nothing may change its simulation.
                throw new IllegalStateException(invoke ? "could not get valid transaction" : "no ledger context");
            }
            return request.serve();
        } finally {
            lock.unlock();
        }
    }

    /** {@code GET_STATE}: the committed value, read recorded; empty when absent. */
    public Optional<ByteString> getState(String collection, String key) {
        return serve(false, () -> {
            checkNoCollection(collection);
            return invocation.simulator().getState(chaincodeName(), key);
        });
    }

    /** {@code GET_STATE_METADATA}: the key's committed metadata by name, read recorded. */
    public SortedMap<String, ByteString> getStateMetadata(String collection, String key) {
        return serve(false, () -> {
            checkNoCollection(collection);
            return invocation.simulator().getStateMetadata(chaincodeName(), key);
        });
    }

    /** {@code PUT_STATE}: writes the key; an empty value deletes it, as Fabric. */
    public void putState(String collection, String key, ByteString value) {
        serve(false, () -> {
            checkNoCollection(collection);
            invocation.simulator().putState(chaincodeName(), key, value);
            return null;
        });
    }

    /** {@code PUT_STATE_METADATA}: as Fabric, the one entry sent becomes the key's metadata. */
    public void putStateMetadata(String collection, String key, String metakey, ByteString value) {
        serve(false, () -> {
            checkNoCollection(collection);
            invocation.simulator().setStateMetadata(chaincodeName(), key, Map.of(metakey, value));
            return null;
        });
    }

    /** {@code DEL_STATE}. */
    public void delState(String collection, String key) {
        serve(false, () -> {
            checkNoCollection(collection);
            invocation.simulator().deleteState(chaincodeName(), key);
            return null;
        });
    }

    /**
     * {@code GET_STATE_BY_RANGE} over {@code [startKey, endKey)}: opens the query and returns its first batch.
     * Paginated, as Fabric's {@code isMetadataSetForPagination}, when the page size is not 0 or there is a bookmark;
     * the bookmark then replaces the start key, and a page size below 1 does not limit the page.
     */
    public Batch<KV> getStateByRange(String collection, String startKey, String endKey, int pageSize,
            String bookmark) {
        return serve(false, () -> {
            checkNoCollection(collection);
            boolean paginated = paginated(pageSize, bookmark);
            // Fabric's calculateTotalReturnLimit: a positive page size below the total limit is the limit.
            int totalReturnLimit = limits.totalQueryLimit();
            if (pageSize > 0 && pageSize < totalReturnLimit) {
                totalReturnLimit = pageSize;
            }
            checkCursorRoom();
            TxSimulator simulator = invocation.simulator();
            RangeIterator scan = paginated
                    ? simulator.rangeScanWithPagination(chaincodeName(), bookmark.isEmpty() ? startKey : bookmark,
                            endKey, pageSize)
                    : simulator.rangeScan(chaincodeName(), startKey, endKey);
            return respond(open(new RangeSource(scan), paginated, totalReturnLimit));
        });
    }

    /**
     * {@code QUERY_STATE_NEXT}: the next batch of an open query.
     *
     * @throws IllegalStateException {@code query iterator not found} for an unknown or finished query
     */
    public Batch<? extends MessageLite> queryNext(String id) {
        return serve(false, () -> {
            ResultCursor<? extends MessageLite> cursor = cursors.get(id);
            if (cursor == null) {
                throw new IllegalStateException("query iterator not found");
            }
            return respond(cursor);
        });
    }

    /** {@code QUERY_STATE_CLOSE}: closes the query if open; answered {@code has_more = false} with the ID anyway. */
    public Batch<MessageLite> queryClose(String id) {
        return serve(false, () -> {
            ResultCursor<? extends MessageLite> cursor = cursors.remove(id);
            if (cursor != null) {
                cursor.close();
            }
            return new Batch<>(id, List.of(), false, Optional.empty());
        });
    }

    /**
     * {@code GET_QUERY_RESULT}: a rich query, refused as Fabric's LevelDB state database refuses it (a paginated one
     * after Fabric's read-only check).
     *
     * @throws RuntimeException always
     */
    public Batch<KV> getQueryResult(String collection, String query, int pageSize, String bookmark) {
        return serve(false, () -> {
            checkNoCollection(collection);
            if (paginated(pageSize, bookmark)) {
                invocation.simulator().executeQueryWithPagination(chaincodeName(), query, bookmark, pageSize);
            } else {
                invocation.simulator().executeQuery(chaincodeName(), query);
            }
            throw new AssertionError("a rich query returned");
        });
    }

    /** {@code GET_HISTORY_FOR_KEY}: opens the key's history (newest first, not recorded) and returns its first batch. */
    public Batch<KeyModification> getHistoryForKey(String key) {
        return serve(false, () -> {
            checkCursorRoom();
            HistorySource history = new HistorySource(invocation.ledger(), chaincodeName(), key);
            return respond(open(new HistoryModifications(history), false, limits.totalQueryLimit()));
        });
    }

    /**
     * {@code GET_PRIVATE_DATA_HASH}: Banyan has no collections.
     *
     * @throws IllegalStateException always
     */
    public ByteString getPrivateDataHash(String collection, String key) {
        return serve(false, () -> {
            throw noCollection(collection);
        });
    }

    /**
     * {@code PURGE_PRIVATE_DATA}: Banyan has no collections.
     *
     * @throws IllegalStateException always: Fabric's {@code only applicable for private data} without a collection
     */
    public void purgePrivateData(String collection, String key) {
        serve(false, () -> {
            if (collection.isEmpty()) {
                throw new IllegalStateException("only applicable for private data"); // Fabric's message
            }
            throw noCollection(collection);
        });
    }

    /**
     * {@code INVOKE_CHAINCODE}, as Fabric's {@code HandleInvokeChaincode}: the callee named {@code name[/channel]}
     * on this channel, within the nesting bound, resolved through {@code resolver}, runs in this transaction.
     *
     * @param checkOpen throws when the runtime is closed
     * @throws ChaincodeExecutionException with Fabric's {@code execute failed: ...} message
     */
    public <R> R invokeChaincode(ChaincodeSpec spec, ChaincodeResolver resolver, Runnable checkOpen,
            NestedRunner<R> runner) {
        return serve(true, () -> {
            NestedCallee callee = NestedCallee.resolve(invocation, spec, limits, resolver, checkOpen);
            ChaincodeRequests calleeRequests = new ChaincodeRequests(invocation.nested(callee.name()), limits);
            Optional<R> answer;
            try {
                answer = runner.run(callee.registeredId(), calleeRequests, spec.getInput());
            } catch (ChaincodeExecutionException e) {
                throw NestedCallee.failed(e);
            } finally {
                calleeRequests.close();
            }
            return answer.orElseThrow(callee::notFound);
        });
    }

    /** Ends the transaction's requests: waits for the one being served, closes open queries, refuses later ones. */
    public void close() {
        closed = true;
        lock.lock();
        try {
            List.copyOf(cursors.values()).forEach(ResultCursor::close);
            cursors.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the transaction's requests without waiting for one being served (its chaincode did not stop in time):
     * later ones are refused; open queries are closed now if no request holds them, else left to the simulator,
     * whose end closes its scans.
     */
    public void closeWithoutWaiting() {
        closed = true;
        if (lock.tryLock()) {
            try {
                List.copyOf(cursors.values()).forEach(ResultCursor::close);
                cursors.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Fabric's {@code isMetadataSetForPagination}: any page size but 0, or a bookmark. */
    private static boolean paginated(int pageSize, String bookmark) {
        return pageSize != 0 || !bookmark.isEmpty();
    }

    /** Refuses a new query iterator past the bound, before anything is opened. */
    private void checkCursorRoom() {
        int max = limits.queryCursorsPerTransactionMax();
        if (cursors.size() >= max) {
            throw new IllegalStateException("too many open query iterators in this transaction (max " + max
                    + "); close the iterators no longer needed");
        }
    }

    private <T extends MessageLite> ResultCursor<T> open(ResultCursor.Source<T> source, boolean paginated,
            int totalReturnLimit) {
        Assert.that(lock.isHeldByCurrentThread(), "opening a query without the transaction's lock");
        ResultCursor<T> cursor = new ResultCursor<>(UUID.randomUUID().toString(), source, paginated,
                totalReturnLimit, limits.queryBatchSizeMax());
        cursors.put(cursor.id(), cursor);
        Assert.that(cursors.size() <= limits.queryCursorsPerTransactionMax(), "open cursors=%d", cursors.size());
        return cursor;
    }

    private <T> Batch<T> respond(ResultCursor<T> cursor) {
        Batch<T> batch = cursor.nextBatch();
        if (cursor.closed()) {
            cursors.remove(cursor.id());
        }
        return batch;
    }

    private void checkNoCollection(String collection) {
        if (!collection.isEmpty()) {
            throw noCollection(collection);
        }
    }

    private IllegalStateException noCollection(String collection) {
        return new IllegalStateException("collection " + invocation.context().channelId() + "/" + chaincodeName()
                + "/" + collection + " could not be found (Banyan has no private data collections)");
    }

    /** A range scan's results: each key as {@code queryresult.KV}. */
    private record RangeSource(RangeIterator scan) implements ResultCursor.Source<KV> {
        @Override
        public Optional<KV> next() {
            return scan.next().map(entry -> KV.newBuilder().setNamespace(scan.namespace()).setKey(entry.key())
                    .setValue(entry.value().value()).build());
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

    /** A key's history as {@code KeyModification}s. */
    private record HistoryModifications(HistorySource history) implements ResultCursor.Source<KeyModification> {
        @Override
        public Optional<KeyModification> next() {
            return history.nextModification();
        }

        @Override
        public String bookmark() {
            return history.bookmark();
        }

        @Override
        public void close() {
            history.close();
        }
    }
}
