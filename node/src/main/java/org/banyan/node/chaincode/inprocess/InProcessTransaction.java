package org.banyan.node.chaincode.inprocess;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.node.chaincode.ChaincodeAnswers;
import org.banyan.node.chaincode.ChaincodeRequests;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.port.PortAnswer;
import org.banyan.node.chaincode.inprocess.port.PortRefusedException;
import org.banyan.node.chaincode.inprocess.port.PortResults;
import org.banyan.node.chaincode.inprocess.port.PortTransaction;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * One chaincode's part in a transaction, as its stub sees it: each request served at once, on the calling thread,
 * by the transaction's {@link ChaincodeRequests} — what the stream handler serves the same request with — and
 * converted to Java types for the port, nothing encoded. A request refused gets the handler's {@code ERROR} text
 * ({@link ChaincodeRequests#errorText}), seen by the {@link InProcessChaincodes.RefusalObserver} and carried by
 * {@link PortRefusedException}.
 */
final class InProcessTransaction implements PortTransaction {
    private static final System.Logger LOG = System.getLogger(InProcessTransaction.class.getName());

    private final InProcessChaincodes owner;
    private final ChaincodeRequests requests;
    private final ChaincodeInput input;
    private final Execution execution;

    InProcessTransaction(InProcessChaincodes owner, ChaincodeRequests requests, ChaincodeInput input,
            Execution execution) {
        this.owner = owner;
        this.requests = requests;
        this.input = input;
        this.execution = execution;
    }

    ChaincodeRequests requests() {
        return requests;
    }

    Execution execution() {
        return execution;
    }

    @Override
    public String channelId() {
        return requests.context().channelId();
    }

    @Override
    public String txId() {
        return requests.context().txId();
    }

    @Override
    public boolean init() {
        // As the chaincode runtime: the transaction's kind, for a chaincode another one invokes too.
        return requests.context().init();
    }

    @Override
    public List<byte[]> args() {
        List<byte[]> args = new ArrayList<>(input.getArgsCount());
        input.getArgsList().forEach(arg -> args.add(arg.toByteArray()));
        return args;
    }

    @Override
    public byte[] proposalBytes() {
        return requests.context().signedProposal().getProposalBytes().toByteArray();
    }

    @Override
    public byte[] signature() {
        return requests.context().signedProposal().getSignature().toByteArray();
    }

    @Override
    public Optional<String> localMspId() {
        return owner.options().localMspId();
    }

    @Override
    public byte[] getState(String collection, String key) {
        return serve(ChaincodeMessage.Type.GET_STATE, () ->
                requests.getState(collection, key).orElse(ByteString.EMPTY).toByteArray());
    }

    @Override
    public Map<String, byte[]> getStateMetadata(String collection, String key) {
        return serve(ChaincodeMessage.Type.GET_STATE_METADATA, () -> {
            Map<String, byte[]> metadata = new LinkedHashMap<>();
            requests.getStateMetadata(collection, key).forEach((name, value) -> metadata.put(name,
                    value.toByteArray()));
            return metadata;
        });
    }

    @Override
    public void putState(String collection, String key, byte[] value) {
        serve(ChaincodeMessage.Type.PUT_STATE, () -> {
            requests.putState(collection, key, ByteString.copyFrom(value));
            return null;
        });
    }

    @Override
    public void putStateMetadata(String collection, String key, String metakey, byte[] value) {
        serve(ChaincodeMessage.Type.PUT_STATE_METADATA, () -> {
            requests.putStateMetadata(collection, key, metakey, ByteString.copyFrom(value));
            return null;
        });
    }

    @Override
    public void delState(String collection, String key) {
        serve(ChaincodeMessage.Type.DEL_STATE, () -> {
            requests.delState(collection, key);
            return null;
        });
    }

    @Override
    public PortResults<PortResults.StateEntry> getStateByRange(String collection, String startKey, String endKey,
            int pageSize, String bookmark) {
        return serve(ChaincodeMessage.Type.GET_STATE_BY_RANGE, () -> states(requests.getStateByRange(collection,
                startKey, endKey, pageSize, bookmark)));
    }

    @Override
    public PortResults<?> queryNext(String id) {
        return serve(ChaincodeMessage.Type.QUERY_STATE_NEXT, () -> results(requests.queryNext(id)));
    }

    @Override
    public void queryClose(String id) {
        serve(ChaincodeMessage.Type.QUERY_STATE_CLOSE, () -> requests.queryClose(id));
    }

    @Override
    public PortResults<PortResults.StateEntry> getQueryResult(String collection, String query, int pageSize,
            String bookmark) {
        return serve(ChaincodeMessage.Type.GET_QUERY_RESULT, () -> states(requests.getQueryResult(collection, query,
                pageSize, bookmark)));
    }

    @Override
    public PortResults<PortResults.HistoryEntry> getHistoryForKey(String key) {
        return serve(ChaincodeMessage.Type.GET_HISTORY_FOR_KEY, () -> {
            ChaincodeRequests.Batch<KeyModification> batch = requests.getHistoryForKey(key);
            return new PortResults<>(batch.id(), batch.results().stream().map(InProcessTransaction::history)
                    .toList(), batch.hasMore(), batch.page().isPresent(), fetched(batch), bookmark(batch));
        });
    }

    @Override
    public byte[] getPrivateDataHash(String collection, String key) {
        return serve(ChaincodeMessage.Type.GET_PRIVATE_DATA_HASH, () ->
                requests.getPrivateDataHash(collection, key).toByteArray());
    }

    @Override
    public void purgePrivateData(String collection, String key) {
        serve(ChaincodeMessage.Type.PURGE_PRIVATE_DATA, () -> {
            requests.purgePrivateData(collection, key);
            return null;
        });
    }

    @Override
    public PortAnswer invokeChaincode(String name, List<byte[]> args) {
        ChaincodeInput.Builder calleeInput = ChaincodeInput.newBuilder();
        args.forEach(arg -> calleeInput.addArgs(ByteString.copyFrom(arg)));
        ChaincodeSpec spec = ChaincodeSpec.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName(name))
                .setInput(calleeInput)
                .build();
        return serve(ChaincodeMessage.Type.INVOKE_CHAINCODE, () -> requests.invokeChaincode(spec,
                owner.options().resolver(), owner::checkOpen,
                (registeredId, callee, calleeArgs) -> owner.runNested(registeredId, callee, calleeArgs, execution)));
    }

    /**
     * Serves one request as the stream handler does: a refusal is the handler's {@code ERROR} text; anything else
     * thrown (a bug) is logged and answered {@code internal error: ...}, so the chaincode is answered either way.
     */
    private <R> R serve(ChaincodeMessage.Type type, Supplier<R> request) {
        String cause;
        try {
            return request.get();
        } catch (RuntimeException e) {
            cause = e.getMessage();
        } catch (Error e) {
            LOG.log(System.Logger.Level.ERROR, "serving " + type + " failed", e);
            cause = "internal error: " + e;
        }
        String text = ChaincodeRequests.errorText(type, txId(), cause);
        owner.options().refusals().refused(txId(), text);
        throw new PortRefusedException(text);
    }

    private static PortResults<PortResults.StateEntry> states(ChaincodeRequests.Batch<KV> batch) {
        return new PortResults<>(batch.id(), batch.results().stream().map(InProcessTransaction::state).toList(),
                batch.hasMore(), batch.page().isPresent(), fetched(batch), bookmark(batch));
    }

    /** A batch of an open query: ranges hold {@code KV}, histories {@code KeyModification}. */
    private static PortResults<?> results(ChaincodeRequests.Batch<? extends MessageLite> batch) {
        List<Object> results = new ArrayList<>(batch.results().size());
        for (MessageLite result : batch.results()) {
            results.add(result instanceof KV kv ? state(kv) : history((KeyModification) result));
        }
        return new PortResults<>(batch.id(), results, batch.hasMore(), batch.page().isPresent(), fetched(batch),
                bookmark(batch));
    }

    private static PortResults.StateEntry state(KV kv) {
        return new PortResults.StateEntry(kv.getKey(), kv.getValue().toByteArray());
    }

    private static PortResults.HistoryEntry history(KeyModification modification) {
        return new PortResults.HistoryEntry(modification.getTxId(), modification.getValue().toByteArray(),
                modification.getTimestamp().getSeconds(), modification.getTimestamp().getNanos(),
                modification.getIsDelete());
    }

    private static int fetched(ChaincodeRequests.Batch<?> batch) {
        return batch.page().map(ChaincodeRequests.Page::fetchedRecordsCount).orElse(0);
    }

    private static String bookmark(ChaincodeRequests.Batch<?> batch) {
        return batch.page().map(ChaincodeRequests.Page::bookmark).orElse("");
    }

    /** The top-level answer as the runtime's result: Fabric's {@code processChaincodeExecutionResult}. */
    static ChaincodeResult result(ChaincodeID chaincodeId, String chaincodeName, String txId, PortAnswer answer,
            TxSimulator simulator) {
        return switch (answer) {
            case PortAnswer.Completed completed -> ChaincodeAnswers.completed(chaincodeId, chaincodeName, txId,
                    response(completed), completed.event().map(event -> ChaincodeEvent.newBuilder()
                            .setEventName(event.name()).setPayload(ByteString.copyFrom(event.payload())).build()),
                    simulator);
            case PortAnswer.Failed failed -> throw ChaincodeAnswers.failed(failed.text());
        };
    }

    /** Fabric's {@code Response} as the shim encodes it: message and payload only when the chaincode set them. */
    private static Response response(PortAnswer.Completed completed) {
        Response.Builder response = Response.newBuilder().setStatus(completed.status());
        if (completed.message() != null) {
            response.setMessage(completed.message());
        }
        if (completed.payload() != null) {
            response.setPayload(ByteString.copyFrom(completed.payload()));
        }
        return response.build();
    }

    /** A callee's answer from another runtime ({@code COMPLETED} or {@code ERROR}), as the port carries it. */
    static PortAnswer answer(ChaincodeMessage message) {
        if (message.getType() == ChaincodeMessage.Type.COMPLETED) {
            try {
                Response response = Response.parseFrom(message.getPayload());
                return new PortAnswer.Completed(response.getStatus(), response.getMessage(),
                        response.getPayload().toByteArray(), Optional.empty());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("unmarshal failed: " + e.getMessage());
            }
        }
        return new PortAnswer.Failed(message.getPayload().toStringUtf8());
    }

    /**
     * The requests of every chaincode one top-level execution runs in-process: ended together when the execution
     * returns, without waiting for a chaincode that did not stop.
     */
    static final class Execution {
        private final Set<ChaincodeRequests> open = ConcurrentHashMap.newKeySet();
        private volatile boolean ended;

        Execution(ChaincodeRequests topLevel) {
            open.add(topLevel);
        }

        void opened(ChaincodeRequests requests) {
            open.add(requests);
            if (ended) {
                requests.closeWithoutWaiting();
            }
        }

        void closed(ChaincodeRequests requests) {
            open.remove(requests);
        }

        /** Refuses every later request of the execution. */
        void end() {
            ended = true;
            open.forEach(ChaincodeRequests::closeWithoutWaiting);
        }
    }
}
