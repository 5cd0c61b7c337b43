package org.banyan.node.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.ERROR;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.GET_HISTORY_FOR_KEY;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.GET_STATE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.GET_STATE_BY_RANGE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.INVOKE_CHAINCODE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.PUT_STATE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.QUERY_STATE_CLOSE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.RESPONSE;
import static org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type.TRANSACTION;

/**
 * The runtime and handler against chaincode played by the test ({@link FakeChaincode}, in-process, no socket) over
 * a real {@link ChannelLedger}: identity and Fabric's error texts, deadlines, what happens to requests once a
 * transaction is over, the bounds, and Fabric's answers for edge cases (empty key, page size below one).
 */
class ChaincodeRuntimeTest {
    private static final String CHANNEL = TestChains.CHANNEL;
    private static final SigningIdentity CLIENT = TestChains.identity("Org1MSP", "client", "User1@org1.example.com");

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private ChaincodeRuntime runtime;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private int nonces;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (runtime != null) {
            runtime.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    private void start(ChaincodeLimits limits) {
        ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
        runtime = new ChaincodeRuntime(ch -> ch.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty(), limits);
    }

    /** A runtime whose every chaincode runs as the package {@code packageId}, as lifecycle would resolve it. */
    private void start(ChaincodeLimits limits, String packageId) {
        ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
        runtime = new ChaincodeRuntime(ch -> ch.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty(), limits,
                (channel, name, simulator) -> packageId);
    }

    @Test
    void aChaincodeRegisteredAsNameColonVersionServesTheNameAndReportsTheVersion() throws Exception {
        // Fabric's development-mode chaincode ID is name:version; the namespace is the name, and the endorser
        // records ChaincodeID{name, version} in the proposal response.
        start(ChaincodeLimits.defaults());
        FakeChaincode cc = FakeChaincode.registered(runtime, "mycc:1.0");
        // Processes are keyed by the whole ID they registered with; the name alone finds it too.
        assertThat(runtime.registered()).containsExactly("mycc:1.0");
        ChaincodeID expected = ChaincodeID.newBuilder().setName("mycc").setVersion("1.0").build();
        assertThat(runtime.chaincodeId("mycc")).contains(expected);
        assertThat(runtime.chaincodeId("mycc:1.0")).contains(expected);
        assertThat(runtime.chaincodeId("mycc:2.0")).isEmpty();
        Future<ChaincodeResult> result = execute("mycc", "tx1");
        ChaincodeMessage tx = cc.next();
        assertThat(tx.getType()).isEqualTo(TRANSACTION);
        assertThat(cc.call(PUT_STATE, tx, put("k", "v")).getType()).isEqualTo(RESPONSE);
        cc.complete(tx, "done");
        ChaincodeResult done = result.get(10, TimeUnit.SECONDS);
        assertThat(done.chaincodeId()).isEqualTo(ChaincodeID.newBuilder().setName("mycc").setVersion("1.0").build());
        assertThat(done.readWriteSet().getNsRwsetList()).extracting(NsReadWriteSet::getNamespace)
                .containsExactly("mycc");

        FakeChaincode bare = FakeChaincode.registered(runtime, "bare");
        Future<ChaincodeResult> other = execute("bare", "tx2");
        bare.complete(bare.next(), "");
        assertThat(other.get(10, TimeUnit.SECONDS).chaincodeId())
                .isEqualTo(ChaincodeID.newBuilder().setName("bare").build());
    }

    @Test
    void aPackageNotRunningIsBroughtUpByTheStarterAndTheExecuteTimeoutStartsOnceItRuns() throws Exception {
        // Fabric launches the chaincode, then executes with its own timeout: a start longer than the execute
        // timeout does not time the transaction out.
        start(ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofMillis(500)), "basic_1.0:abc");
        java.util.concurrent.CompletableFuture<FakeChaincode> launched = new java.util.concurrent.CompletableFuture<>();
        runtime.starter((id, waitNanosMax) -> {
            assertThat(id).isEqualTo("basic_1.0:abc");
            assertThat(waitNanosMax).isEqualTo(Long.MAX_VALUE); // a top-level call: the starter's own limit
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            launched.complete(FakeChaincode.registered(runtime, id));
        });
        Future<ChaincodeResult> result = execute("basic", "tx1");
        FakeChaincode cc = launched.get(10, TimeUnit.SECONDS);
        cc.complete(cc.next(), "up");
        assertThat(result.get(10, TimeUnit.SECONDS).response().getPayload().toStringUtf8()).isEqualTo("up");
    }

    @Test
    void aPackageThatDoesNotComeUpFailsWithTheStartersReasonInFabricsForm() {
        start(ChaincodeLimits.defaults(), "basic_1.0:abc");
        assertThatThrownBy(() -> runtime.execute("basic", input(), context("tx1")))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("failed to execute transaction tx1: could not launch chaincode basic_1.0:abc: no"
                        + " chaincode process is registered with this ID");
        runtime.starter((id, waitNanosMax) -> {
            throw new ChaincodeExecutionException("could not launch chaincode " + id + ": timeout expired while"
                    + " starting chaincode " + id + " for transaction");
        });
        assertThatThrownBy(() -> runtime.execute("basic", input(), context("tx2")))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("failed to execute transaction tx2: could not launch chaincode basic_1.0:abc: timeout"
                        + " expired while starting chaincode basic_1.0:abc for transaction");
    }

    @Test
    void aStreamTheNodeDialledServesOnlyThePackageItWasDialledFor() throws Exception {
        start(ChaincodeLimits.defaults(), "basic_1.0:abc");
        FakeChaincode impostor = FakeChaincode.dialled(runtime, "basic_1.0:abc");
        impostor.sendRegister("other_1.0:def");
        assertThat(impostor.next().getPayload().toStringUtf8()).isEqualTo("chaincode registered as other_1.0:def"
                + " on a connection the node opened for basic_1.0:abc");
        assertThat(impostor.awaitError()).hasMessageContaining("on a connection the node opened for");
        assertThat(runtime.registered()).isEmpty();
        assertThat(runtime.streamsUnregistered()).isZero();

        FakeChaincode server = FakeChaincode.dialled(runtime, "basic_1.0:abc");
        server.register("basic_1.0:abc");
        assertThat(runtime.registered()).containsExactly("basic_1.0:abc");
        Future<ChaincodeResult> result = execute("basic", "tx1");
        server.complete(server.next(), "served");
        assertThat(result.get(10, TimeUnit.SECONDS).response().getPayload().toStringUtf8()).isEqualTo("served");
    }

    @Test
    void anUndefinedChaincodeGetsFabricsErrorAtTopLevelAndFromInvokeChaincode() throws Exception {
        start(ChaincodeLimits.defaults());
        // Fabric's endorser: "make sure the chaincode ... and try again: " + lscc's "chaincode X not found".
        assertThatThrownBy(() -> runtime.execute("nope", input(), context("tx0")))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("make sure the chaincode nope has been successfully defined on channel " + CHANNEL
                        + " and try again: chaincode nope not found");

        // Fabric's HandleInvokeChaincode wraps ChaincodeSupport.Invoke's "invalid invocation: [channel C] failed
        // to get chaincode container info for X: ..." in "execute failed", and HandleTransaction adds its prefix.
        FakeChaincode caller = FakeChaincode.registered(runtime, "caller");
        Future<ChaincodeResult> result = execute("caller", "tx1");
        ChaincodeMessage tx = caller.next();
        ChaincodeMessage answer = caller.call(INVOKE_CHAINCODE, tx, invoke("nope:2.0"));
        assertThat(answer.getType()).isEqualTo(ERROR);
        assertThat(answer.getPayload().toStringUtf8()).isEqualTo("INVOKE_CHAINCODE failed: transaction ID: tx1: "
                + "execute failed: invalid invocation: [channel " + CHANNEL + "] failed to get chaincode container"
                + " info for nope: chaincode nope not found");
        caller.complete(tx, "");
        assertThat(result.get(10, TimeUnit.SECONDS).ok()).isTrue();
    }

    @Test
    void aTimeoutIsFabricsErrorSendingAndLaterRequestsGetNoLedgerContext() throws Exception {
        start(ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofMillis(300)));
        FakeChaincode cc = FakeChaincode.registered(runtime, "slow");
        Future<ChaincodeResult> result = execute("slow", "tx1");
        ChaincodeMessage tx = cc.next();
        // Fabric: processChaincodeExecutionResult("failed to execute transaction") around execute's
        // "error sending" around the handler's ErrorExecutionTimeout.
        assertThat(cause(result)).isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("failed to execute transaction tx1: error sending: timeout expired while executing"
                        + " transaction");
        // Fabric's handler deletes the transaction context when Execute returns: a late request finds none.
        ChaincodeMessage late = cc.call(PUT_STATE, tx, put("k", "v"));
        assertThat(late.getType()).isEqualTo(ERROR);
        assertThat(late.getPayload().toStringUtf8()).isEqualTo("PUT_STATE failed: transaction ID: tx1: no ledger context");
        ChaincodeMessage lateInvoke = cc.call(INVOKE_CHAINCODE, tx, invoke("slow"));
        assertThat(lateInvoke.getPayload().toStringUtf8())
                .isEqualTo("INVOKE_CHAINCODE failed: transaction ID: tx1: could not get valid transaction");
    }

    @Test
    void aRequestSentWhileAnotherIsPendingIsDroppedAndTheResultsAreTakenAfterTheOneInFlight() throws Exception {
        start(ChaincodeLimits.defaults());
        FakeChaincode caller = FakeChaincode.registered(runtime, "caller");
        FakeChaincode callee = FakeChaincode.registered(runtime, "callee");
        Future<ChaincodeResult> result = execute("caller", "tx1");
        ChaincodeMessage tx = caller.next();
        caller.request(INVOKE_CHAINCODE, tx, invoke("callee"));
        ChaincodeMessage nested = callee.next();
        assertThat(nested.getType()).isEqualTo(TRANSACTION);
        // The INVOKE_CHAINCODE is being served. A second request of the same transaction is dropped, as Fabric's
        // registerTxid drops it (an answer would be taken by the shim for the answer to the first).
        caller.request(PUT_STATE, tx, put("dropped", "v"));
        // A misbehaving chaincode completes while its request is still in flight.
        caller.complete(tx, "early");
        Thread.sleep(100);
        assertThat(result.isDone()).as("results wait for the request in flight").isFalse();
        assertThat(callee.call(PUT_STATE, nested, put("nested", "v")).getType()).isEqualTo(RESPONSE);
        callee.complete(nested, "callee done");
        ChaincodeMessage invokeAnswer = caller.next();
        assertThat(invokeAnswer.getType()).isEqualTo(RESPONSE);
        assertThat(ChaincodeMessage.parseFrom(invokeAnswer.getPayload()).getType())
                .isEqualTo(ChaincodeMessage.Type.COMPLETED);
        ChaincodeResult done = result.get(10, TimeUnit.SECONDS);
        assertThat(done.response().getPayload().toStringUtf8()).isEqualTo("early");
        assertThat(done.readWriteSet().getNsRwsetList()).extracting(NsReadWriteSet::getNamespace)
                .containsExactly("callee");
        assertThat(kv(done.readWriteSet(), "callee").getWrites(0).getKey()).isEqualTo("nested");
        assertThat(caller.poll(Duration.ofMillis(200))).as("no answer to the dropped request").isEmpty();
    }

    @Test
    void nestedInvocationsShareTheTopLevelDeadline() throws Exception {
        start(ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofMillis(2_000)));
        FakeChaincode caller = FakeChaincode.registered(runtime, "caller");
        FakeChaincode callee = FakeChaincode.registered(runtime, "callee");
        long started = System.nanoTime();
        Future<ChaincodeResult> result = execute("caller", "tx1");
        ChaincodeMessage tx = caller.next();
        Thread.sleep(1_800);
        caller.request(INVOKE_CHAINCODE, tx, invoke("callee"));
        assertThat(callee.next().getType()).isEqualTo(TRANSACTION); // and the callee never answers
        assertThat(cause(result)).hasMessage("failed to execute transaction tx1: error sending: timeout expired"
                + " while executing transaction");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // A fresh timeout for the nested call would end it at 1 800 + 2 000 ms, and execute would wait for it.
        assertThat(elapsedMillis).isBetween(2_000L, 3_000L);
        ChaincodeMessage invokeAnswer = caller.next();
        assertThat(invokeAnswer.getPayload().toStringUtf8()).isEqualTo("INVOKE_CHAINCODE failed: transaction ID:"
                + " tx1: execute failed: error sending: timeout expired while executing transaction");
    }

    @Test
    void openQueryIteratorsOfATransactionAreBounded() throws Exception {
        start(new ChaincodeLimits(Duration.ofSeconds(10), 1_024, 8, 1, 100_000, 2, 16,
                Duration.ofSeconds(10), Duration.ofSeconds(10)));
        FakeChaincode cc = FakeChaincode.registered(runtime, "cc");
        seed(cc, "cc", "a", "b", "c");
        Future<ChaincodeResult> result = execute("cc", "tx1");
        ChaincodeMessage tx = cc.next();
        // Batches of one result: each range stays open with has_more.
        QueryResponse first = QueryResponse.parseFrom(cc.call(GET_STATE_BY_RANGE, tx, range("a", "")).getPayload());
        QueryResponse second = QueryResponse.parseFrom(cc.call(GET_STATE_BY_RANGE, tx, range("b", "")).getPayload());
        assertThat(first.getHasMore()).isTrue();
        assertThat(second.getHasMore()).isTrue();
        ChaincodeMessage refused = cc.call(GET_STATE_BY_RANGE, tx, range("c", ""));
        assertThat(refused.getType()).isEqualTo(ERROR);
        assertThat(refused.getPayload().toStringUtf8()).isEqualTo("GET_STATE_BY_RANGE failed: transaction ID: tx1:"
                + " too many open query iterators in this transaction (max 2); close the iterators no longer needed");
        assertThat(cc.call(GET_HISTORY_FOR_KEY, tx, GetHistoryForKey.newBuilder().setKey("a").build()).getType())
                .isEqualTo(ERROR);
        cc.call(QUERY_STATE_CLOSE, tx, QueryStateClose.newBuilder().setId(first.getId()).build());
        assertThat(cc.call(GET_STATE_BY_RANGE, tx, range("c", "")).getType()).isEqualTo(RESPONSE);
        cc.complete(tx, "");
        // The refused range was never opened, so it is not in the read/write set; the others are, in order.
        assertThat(kv(result.get(10, TimeUnit.SECONDS).readWriteSet(), "cc").getRangeQueriesInfoList())
                .extracting(RangeQueryInfo::getStartKey).containsExactly("a", "b", "c");
    }

    @Test
    void streamsThatDoNotRegisterAreBoundedAndTimedOut() throws Exception {
        start(ChaincodeLimits.defaults().withUnregisteredStreams(2, Duration.ofMillis(300)));
        FakeChaincode idle1 = FakeChaincode.connect(runtime);
        FakeChaincode idle2 = FakeChaincode.connect(runtime);
        assertThat(runtime.streamsUnregistered()).isEqualTo(2);
        FakeChaincode third = FakeChaincode.connect(runtime);
        assertThat(third.next().getPayload().toStringUtf8())
                .isEqualTo("too many chaincode streams waiting to register (max 2)");
        assertThat(third.awaitError()).hasMessageContaining("too many chaincode streams waiting to register");
        for (FakeChaincode idle : List.of(idle1, idle2)) {
            ChaincodeMessage ended = idle.next();
            assertThat(ended.getType()).isEqualTo(ERROR);
            assertThat(ended.getPayload().toStringUtf8()).isEqualTo("chaincode did not register within 300 ms");
            assertThat(idle.awaitError()).hasMessageContaining("chaincode did not register within 300 ms");
        }
        assertThat(runtime.streamsUnregistered()).isZero();
        FakeChaincode.registered(runtime, "late");
        assertThat(runtime.registered()).containsExactly("late");
        assertThat(runtime.streamsUnregistered()).isZero();
    }

    @Test
    void aPageSizeBelowOneIsAPaginatedQueryOverTheWholeRange() throws Exception {
        // Fabric's isMetadataSetForPagination: any page size but 0 (or a bookmark) paginates; LevelDB's scanner
        // limits only a positive page size; the response carries QueryResponseMetadata.
        start(ChaincodeLimits.defaults());
        FakeChaincode cc = FakeChaincode.registered(runtime, "cc");
        seed(cc, "cc", "a", "b", "c");
        Future<ChaincodeResult> result = execute("cc", "tx1");
        ChaincodeMessage tx = cc.next();
        QueryResponse page = QueryResponse.parseFrom(cc.call(GET_STATE_BY_RANGE, tx, GetStateByRange.newBuilder()
                .setStartKey("").setEndKey("").setMetadata(QueryMetadata.newBuilder().setPageSize(-1).build()
                        .toByteString()).build()).getPayload());
        assertThat(page.getResultsList()).extracting(r -> KV.parseFrom(r.getResultBytes()).getKey())
                .containsExactly("a", "b", "c");
        assertThat(page.getHasMore()).isFalse();
        assertThat(QueryResponseMetadata.parseFrom(page.getMetadata())).isEqualTo(QueryResponseMetadata.newBuilder()
                .setFetchedRecordsCount(3).setBookmark("").build());
        // It was a paginated query, so the transaction is read-only now.
        assertThat(cc.call(PUT_STATE, tx, put("x", "y")).getPayload().toStringUtf8()).isEqualTo("PUT_STATE failed:"
                + " transaction ID: tx1: txid [tx1]: unsuppored transaction. Transaction has already performed a"
                + " paginated query. Writes are not allowed");
        cc.complete(tx, "");
        result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theEmptyKeyReadsAsAbsentHasNoHistoryAndCannotBeWritten() throws Exception {
        start(ChaincodeLimits.defaults());
        FakeChaincode cc = FakeChaincode.registered(runtime, "cc");
        Future<ChaincodeResult> result = execute("cc", "tx1");
        ChaincodeMessage tx = cc.next();
        // Fabric on LevelDB: GetState("") is an ordinary miss (the Java shim does not check the key).
        ChaincodeMessage read = cc.call(GET_STATE, tx, GetState.newBuilder().setKey("").build());
        assertThat(read.getType()).isEqualTo(RESPONSE);
        assertThat(read.getPayload()).isEmpty();
        QueryResponse history = QueryResponse.parseFrom(
                cc.call(GET_HISTORY_FOR_KEY, tx, GetHistoryForKey.newBuilder().setKey("").build()).getPayload());
        assertThat(history.getResultsList()).isEmpty();
        assertThat(history.getHasMore()).isFalse();
        // The shims refuse PutState(""); a DEL_STATE of "" reaches the node, which answers as Fabric's CouchDB.
        ChaincodeMessage delete = cc.call(ChaincodeMessage.Type.DEL_STATE, tx,
                DelState.newBuilder().setKey("").build());
        assertThat(delete.getPayload().toStringUtf8()).isEqualTo("DEL_STATE failed: transaction ID: tx1: invalid key."
                + " Empty string is not supported as a key");
        cc.complete(tx, "");
        KVRWSet set = kv(result.get(10, TimeUnit.SECONDS).readWriteSet(), "cc");
        assertThat(set.getReadsList()).containsExactly(KVRead.newBuilder().setKey("").build());
        assertThat(set.getWritesList()).isEmpty();
    }

    private Future<ChaincodeResult> execute(String chaincode, String txId) {
        return callers.submit(() -> runtime.execute(chaincode, input(), context(txId)));
    }

    /** Commits, as the next block, a transaction of {@code cc} that writes each key (value = key). */
    private void seed(FakeChaincode cc, String name, String... keys) throws Exception {
        String txId = "seed" + (++nonces);
        Future<ChaincodeResult> result = execute(name, txId);
        ChaincodeMessage tx = cc.next();
        for (String key : keys) {
            assertThat(cc.call(PUT_STATE, tx, put(key, key)).getType()).isEqualTo(RESPONSE);
        }
        cc.complete(tx, "");
        TxReadWriteSet rwSet = result.get(10, TimeUnit.SECONDS).readWriteSet();
        byte[] nonce = new byte[24];
        nonce[0] = (byte) nonces;
        var envelope = EndorserTransactions.build(new EndorserTransactions.Invocation(CHANNEL, name, List.of(), rwSet,
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(), nonce), CLIENT, List.of());
        Block previous = ledger.block(ledger.height() - 1).orElseThrow();
        ledger.commit(Blocks.withValidationCodes(Blocks.next(previous, List.of(envelope.toByteString())),
                List.of(TxValidationCode.VALID)));
    }

    private static TransactionContext context(String txId) {
        return TransactionContext.of(CHANNEL, txId, SignedProposal.getDefaultInstance());
    }

    private static ChaincodeInput input() {
        return ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("f")).build();
    }

    private static PutState put(String key, String value) {
        return PutState.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static GetStateByRange range(String start, String end) {
        return GetStateByRange.newBuilder().setStartKey(start).setEndKey(end).build();
    }

    private static ChaincodeSpec invoke(String name) {
        return ChaincodeSpec.newBuilder().setChaincodeId(ChaincodeID.newBuilder().setName(name))
                .setInput(input()).build();
    }

    private static Throwable cause(Future<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("execute did not end within 10 s", e);
        }
        throw new AssertionError("execute succeeded");
    }

    private static KVRWSet kv(TxReadWriteSet set, String namespace) throws InvalidProtocolBufferException {
        List<String> seen = new ArrayList<>();
        for (NsReadWriteSet ns : set.getNsRwsetList()) {
            if (ns.getNamespace().equals(namespace)) {
                return KVRWSet.parseFrom(ns.getRwset());
            }
            seen.add(ns.getNamespace());
        }
        throw new AssertionError("no namespace " + namespace + " in " + seen);
    }
}
