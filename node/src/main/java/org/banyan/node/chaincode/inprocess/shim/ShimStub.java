package org.banyan.node.chaincode.inprocess.shim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.banyan.node.chaincode.inprocess.port.PortAnswer;
import org.banyan.node.chaincode.inprocess.port.PortRefusedException;
import org.banyan.node.chaincode.inprocess.port.PortResults;
import org.banyan.node.chaincode.inprocess.port.PortTransaction;
import org.hyperledger.fabric.contract.ContractRuntimeException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.MetaDataKeys;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * The chaincode's {@link ChaincodeStub} for one transaction: Fabric's {@code InvocationStubImpl} (shim 2.5.5) with a
 * call on the node's {@link PortTransaction} where the shim sends a request and waits for the answer. What the shim
 * checks before sending (empty keys, empty collections, composite-key ranges, event names), its defaults (the range
 * start {@code U+0001}, a partial composite key's end {@code U+10FFFF}) and what it throws are the shim's; a request
 * the node refuses throws the shim's {@code [txid8]Unsuccessful response received.}, as the Java shim drops the
 * node's text. Transaction data (creator, timestamp, transient map, binding) is read from the signed proposal once,
 * as the shim does when the transaction arrives.
 */
final class ShimStub implements ChaincodeStub {
    private static final String UNSPECIFIED_START_KEY = new String(Character.toChars(1));
    private static final String MAX_UNICODE_RUNE = "\udbff\udfff";
    private static final String VALIDATION_PARAMETER = MetaDataKeys.VALIDATION_PARAMETER.toString();

    private final PortTransaction transaction;
    private final String channelId;
    private final String txId;
    private final List<ByteString> args;
    private final SignedProposal signedProposal;
    private final Instant txTimestamp;
    private final ByteString creator;
    private final Map<String, ByteString> transientMap;
    private final byte[] binding;
    private ChaincodeEvent event;

    ShimStub(PortTransaction transaction) throws InvalidProtocolBufferException, NoSuchAlgorithmException {
        this.transaction = transaction;
        this.channelId = transaction.channelId();
        this.txId = transaction.txId();
        List<ByteString> input = new ArrayList<>();
        for (byte[] arg : transaction.args()) {
            input.add(UnsafeByteOperations.unsafeWrap(arg)); // the port's copy, owned here
        }
        this.args = Collections.unmodifiableList(input);
        this.signedProposal = SignedProposal.newBuilder()
                .setProposalBytes(UnsafeByteOperations.unsafeWrap(transaction.proposalBytes()))
                .setSignature(UnsafeByteOperations.unsafeWrap(transaction.signature()))
                .build();
        if (signedProposal.getProposalBytes().isEmpty()) {
            this.creator = null;
            this.txTimestamp = null;
            this.transientMap = Collections.emptyMap();
            this.binding = null;
        } else {
            Proposal proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
            Header header = Header.parseFrom(proposal.getHeader());
            ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            validateProposalType(channelHeader);
            SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            Timestamp timestamp = channelHeader.getTimestamp();
            this.txTimestamp = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
            this.creator = signatureHeader.getCreator();
            this.transientMap = payload.getTransientMapMap();
            this.binding = computeBinding(channelHeader, signatureHeader);
        }
    }

    PortTransaction transaction() {
        return transaction;
    }

    /** A request to the node; a refusal becomes what the shim throws when the peer answers {@code ERROR}. */
    <R> R request(Supplier<R> call) {
        try {
            return call.get();
        } catch (PortRefusedException e) {
            throw new ContractRuntimeException(String.format("[%-8.8s]Unsuccessful response received.", txId));
        }
    }

    private void run(Runnable call) {
        request(() -> {
            call.run();
            return null;
        });
    }

    private byte[] computeBinding(ChannelHeader channelHeader, SignatureHeader signatureHeader)
            throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(signatureHeader.getNonce().asReadOnlyByteBuffer());
        digest.update(creator.asReadOnlyByteBuffer());
        ByteBuffer epoch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(channelHeader.getEpoch());
        epoch.flip();
        digest.update(epoch);
        return digest.digest();
    }

    private static void validateProposalType(ChannelHeader channelHeader) {
        switch (HeaderType.forNumber(channelHeader.getType())) {
            case ENDORSER_TRANSACTION, CONFIG -> { }
            default -> throw new IllegalArgumentException(String.format("Unexpected transaction type: %s",
                    HeaderType.forNumber(channelHeader.getType())));
        }
    }

    private static boolean isEmptyString(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<byte[]> getArgs() {
        return args.stream().map(ByteString::toByteArray).collect(Collectors.toList());
    }

    @Override
    public List<String> getStringArgs() {
        return args.stream().map(ByteString::toStringUtf8).collect(Collectors.toList());
    }

    @Override
    public String getFunction() {
        return getStringArgs().isEmpty() ? null : getStringArgs().get(0);
    }

    @Override
    public List<String> getParameters() {
        return getStringArgs().stream().skip(1).collect(Collectors.toList());
    }

    @Override
    public void setEvent(String name, byte[] payload) {
        if (name == null || isEmptyString(name)) {
            throw new IllegalArgumentException("event name can not be nil string");
        }
        ChaincodeEvent.Builder builder = ChaincodeEvent.newBuilder().setEventName(name);
        if (payload != null) {
            builder.setPayload(ByteString.copyFrom(payload));
        }
        this.event = builder.build();
    }

    @Override
    public ChaincodeEvent getEvent() {
        return event;
    }

    @Override
    public String getChannelId() {
        return channelId;
    }

    @Override
    public String getTxId() {
        return txId;
    }

    @Override
    public byte[] getState(String key) {
        encodable(key);
        return request(() -> transaction.getState("", key));
    }

    @Override
    public byte[] getStateValidationParameter(String key) {
        encodable(key);
        return validationParameter(request(() -> transaction.getStateMetadata("", key)));
    }

    @Override
    public void putState(String key, byte[] value) {
        validateKey(key);
        encodable(value);
        run(() -> transaction.putState("", key, value));
    }

    @Override
    public void setStateValidationParameter(String key, byte[] value) {
        validateKey(key);
        encodable(value);
        run(() -> transaction.putStateMetadata("", key, VALIDATION_PARAMETER, value));
    }

    @Override
    public void delState(String key) {
        encodable(key);
        run(() -> transaction.delState("", key));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
        String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        String end = endKey == null ? "" : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return range("", start, end);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(String startKey, String endKey,
            int pageSize, String bookmark) {
        String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        String end = endKey == null ? "" : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return rangeWithMetadata(start, end, pageSize, bookmark);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
        CompositeKey key = compositeKey.startsWith(CompositeKey.NAMESPACE)
                ? CompositeKey.parseCompositeKey(compositeKey) : new CompositeKey(compositeKey);
        return getStateByPartialCompositeKey(key);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String objectType, String... attributes) {
        return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
        String key = compositeKey == null ? new CompositeKey(UNSPECIFIED_START_KEY).toString()
                : compositeKey.toString();
        return range("", key, key + MAX_UNICODE_RUNE);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
            CompositeKey compositeKey, int pageSize, String bookmark) {
        String key = compositeKey == null ? new CompositeKey(UNSPECIFIED_START_KEY).toString()
                : compositeKey.toString();
        return rangeWithMetadata(key, key + MAX_UNICODE_RUNE, pageSize, bookmark);
    }

    @Override
    public CompositeKey createCompositeKey(String objectType, String... attributes) {
        return new CompositeKey(objectType, attributes);
    }

    @Override
    public CompositeKey splitCompositeKey(String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey);
    }

    @Override
    public QueryResultsIterator<KeyValue> getQueryResult(String query) {
        encodable(query);
        PortResults<PortResults.StateEntry> first = request(() -> transaction.getQueryResult("", query, 0, ""));
        return new ShimResults<>(this, first, ShimStub::keyValue);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(String query, int pageSize,
            String bookmark) {
        encodable(bookmark);
        encodable(query);
        PortResults<PortResults.StateEntry> first = request(() -> transaction.getQueryResult("", query, pageSize,
                bookmark));
        return new ShimResultsWithMetadata<>(this, first, ShimStub::keyValue);
    }

    @Override
    public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
        encodable(key);
        PortResults<PortResults.HistoryEntry> first = request(() -> transaction.getHistoryForKey(key));
        return new ShimResults<>(this, first, ShimStub::keyModification);
    }

    @Override
    public byte[] getPrivateData(String collection, String key) {
        validateCollection(collection);
        encodable(key);
        return request(() -> transaction.getState(collection, key));
    }

    @Override
    public byte[] getPrivateDataHash(String collection, String key) {
        validateCollection(collection);
        encodable(key);
        return request(() -> transaction.getPrivateDataHash(collection, key));
    }

    @Override
    public byte[] getPrivateDataValidationParameter(String collection, String key) {
        validateCollection(collection);
        encodable(key);
        return validationParameter(request(() -> transaction.getStateMetadata(collection, key)));
    }

    @Override
    public void putPrivateData(String collection, String key, byte[] value) {
        validateKey(key);
        validateCollection(collection);
        encodable(value);
        run(() -> transaction.putState(collection, key, value));
    }

    @Override
    public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
        validateKey(key);
        validateCollection(collection);
        encodable(value);
        run(() -> transaction.putStateMetadata(collection, key, VALIDATION_PARAMETER, value));
    }

    @Override
    public void delPrivateData(String collection, String key) {
        validateCollection(collection);
        encodable(key);
        run(() -> transaction.delState(collection, key));
    }

    @Override
    public void purgePrivateData(String collection, String key) {
        validateCollection(collection);
        encodable(key);
        run(() -> transaction.purgePrivateData(collection, key));
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByRange(String collection, String startKey, String endKey) {
        validateCollection(collection);
        String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        String end = endKey == null ? "" : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return range(collection, start, end);
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection,
            String compositeKey) {
        CompositeKey key;
        if (compositeKey == null) {
            key = new CompositeKey("");
        } else if (compositeKey.startsWith(CompositeKey.NAMESPACE)) {
            key = CompositeKey.parseCompositeKey(compositeKey);
        } else {
            key = new CompositeKey(compositeKey);
        }
        return getPrivateDataByPartialCompositeKey(collection, key);
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection,
            CompositeKey compositeKey) {
        // As the shim: no collection check here; the node refuses a collection it does not have.
        String key = compositeKey == null ? new CompositeKey(UNSPECIFIED_START_KEY).toString()
                : compositeKey.toString();
        return range(collection, key, key + MAX_UNICODE_RUNE);
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection, String objectType,
            String... attributes) {
        return getPrivateDataByPartialCompositeKey(collection, new CompositeKey(objectType, attributes));
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
        validateCollection(collection);
        encodable(query);
        PortResults<PortResults.StateEntry> first = request(() -> transaction.getQueryResult(collection, query, 0,
                ""));
        return new ShimResults<>(this, first, ShimStub::keyValue);
    }

    @Override
    public Chaincode.Response invokeChaincode(String chaincodeName, List<byte[]> args, String channel) {
        String compositeName = channel != null && !isEmptyString(channel) ? chaincodeName + "/" + channel
                : chaincodeName;
        encodable(compositeName);
        List<byte[]> input = args.stream().map(ShimStub::encodable).collect(Collectors.toList());
        PortAnswer answer = request(() -> transaction.invokeChaincode(compositeName, input));
        // As the shim: COMPLETED is the callee's Response (unset fields read as empty), ERROR a 500 with its text.
        if (answer instanceof PortAnswer.Completed completed) {
            return new Chaincode.Response(Chaincode.Response.Status.forCode(completed.status()),
                    completed.message() == null ? "" : completed.message(),
                    completed.payload() == null ? new byte[0] : completed.payload());
        }
        return new Chaincode.Response(Chaincode.Response.Status.INTERNAL_SERVER_ERROR,
                ((PortAnswer.Failed) answer).text(), null);
    }

    @Override
    public SignedProposal getSignedProposal() {
        return signedProposal;
    }

    @Override
    public Instant getTxTimestamp() {
        return txTimestamp;
    }

    @Override
    public byte[] getCreator() {
        return creator == null ? null : creator.toByteArray();
    }

    @Override
    public Map<String, byte[]> getTransient() {
        return transientMap.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue().toByteArray()));
    }

    @Override
    public byte[] getBinding() {
        return binding;
    }

    @Override
    public String getMspId() {
        return transaction.localMspId().orElseThrow(() ->
                new IllegalStateException("CORE_PEER_LOCALMSPID is unset in chaincode process"));
    }

    private QueryResultsIterator<KeyValue> range(String collection, String start, String end) {
        PortResults<PortResults.StateEntry> first = request(() -> transaction.getStateByRange(collection, start, end,
                0, ""));
        return new ShimResults<>(this, first, ShimStub::keyValue);
    }

    private QueryResultsIteratorWithMetadata<KeyValue> rangeWithMetadata(String start, String end, int pageSize,
            String bookmark) {
        encodable(bookmark);
        PortResults<PortResults.StateEntry> first = request(() -> transaction.getStateByRange("", start, end,
                pageSize, bookmark));
        return new ShimResultsWithMetadata<>(this, first, ShimStub::keyValue);
    }

    private static byte[] validationParameter(Map<String, byte[]> metadata) {
        return metadata.containsKey(VALIDATION_PARAMETER) ? metadata.get(VALIDATION_PARAMETER) : null;
    }

    private static KeyValue keyValue(Object result) {
        PortResults.StateEntry entry = (PortResults.StateEntry) result;
        return new ShimKeyValue(entry.key(), UnsafeByteOperations.unsafeWrap(entry.value()));
    }

    private static KeyModification keyModification(Object result) {
        PortResults.HistoryEntry entry = (PortResults.HistoryEntry) result;
        return new ShimKeyModification(entry.txId(), UnsafeByteOperations.unsafeWrap(entry.value()),
                Instant.ofEpochSecond(entry.seconds(), entry.nanos()), entry.delete());
    }

    private static void validateKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key cannot not be an empty string");
        }
    }

    private static void validateCollection(String collection) {
        Objects.requireNonNull(collection, "collection cannot be null");
        if (collection.isEmpty()) {
            throw new IllegalArgumentException("collection must not be an empty string");
        }
    }

    /** A null string field: the shim's protobuf setter throws this before anything is sent. */
    private static void encodable(String field) {
        if (field == null) {
            throw new NullPointerException();
        }
    }

    /** A null value: the shim's {@code ByteString.copyFrom} throws before anything is sent. */
    private static byte[] encodable(byte[] value) {
        if (value == null) {
            ByteString.copyFrom(value);
        }
        return value;
    }
}
