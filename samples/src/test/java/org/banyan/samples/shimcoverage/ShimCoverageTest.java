package org.banyan.samples.shimcoverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.samples.testing.ChaincodeTestbed.CHANNEL;
import static org.banyan.samples.testing.ChaincodeTestbed.read;
import static org.banyan.samples.testing.ChaincodeTestbed.readAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.banyan.samples.testing.ChaincodeTestbed.Proposed;
import org.banyan.samples.testing.ChaincodeTestbed.Submitted;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shim coverage: every {@code ChaincodeStub} call a Fabric chaincode makes, through Fabric's unmodified Java shim
 * 2.5.5 in a child JVM ({@link ShimCoverageMain}: {@link ShimCoverageChaincode} as {@code shimcov:1.0} and
 * {@link CalleeChaincode} as {@code callee}) registered with a Banyan {@code ChaincodeServer} on 127.0.0.1 over a
 * real RocksDB ledger. For each call the test checks what the chaincode got back, the read/write set the node
 * recorded, and, for errors, both what the Java shim throws and the exact text the node sent on the wire (what Go
 * and Node chaincode see). Each expectation names the Fabric behaviour it encodes; the Fabric sources are the peer's
 * {@code core/chaincode/handler.go}, {@code chaincode_support.go}, {@code core/ledger/kvledger/txmgmt/txmgr}
 * ({@code tx_simulator.go}, {@code query_executor.go}), the LevelDB state database and the Java shim.
 *
 * <p>One chaincode process serves the whole class; the tests run in order and build on committed state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShimCoverageTest {
    private static final String CC = "shimcov";
    private static final String CALLEE = "callee";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private ChaincodeTestbed testbed;
    /** The block that committed r1..r5. */
    private long rangeBlock;

    @BeforeAll
    void start() throws Exception {
        testbed = ChaincodeTestbed.start(dir, ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30)),
                ShimCoverageMain.class, CC, List.of(), List.of(CC, CALLEE));
    }

    @AfterAll
    void stop() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    @Order(1)
    void theChaincodeIdCarriesTheRegisteredVersion() {
        // Fabric's development-mode chaincode ID is name:version; the endorser records ChaincodeID{name, version}
        // in the proposal response and uses the name as the namespace. Processes are keyed by the whole ID.
        assertThat(testbed.runtime().registered()).containsExactly(CALLEE, CC + ":1.0");
        ChaincodeResult result = testbed.evaluate(CC, "GetState", "nothing");
        assertThat(result.chaincodeId()).isEqualTo(ChaincodeID.newBuilder().setName(CC).setVersion("1.0").build());
        assertThat(result.readWriteSet().getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly(CC);
    }

    @Test
    @Order(2)
    void putStateGetStateDelState() throws Exception {
        // PutState records a write and no read (RWSetBuilder.AddToWriteSet).
        Submitted put = testbed.submit(CC, "PutState", "k1", "v1");
        KVRWSet putSet = kv(put.result());
        assertThat(putSet.getReadsList()).isEmpty();
        assertThat(putSet.getWritesList()).containsExactly(write("k1", "v1"));

        // GetState returns the committed value and records the version read (queryExecutor.getState).
        ChaincodeResult get = testbed.evaluate(CC, "GetState", "k1");
        assertThat(payload(get)).isEqualTo("v1");
        assertThat(kv(get).getReadsList()).containsExactly(read("k1", put.block(), 0));

        // A missing key: the peer answers an empty payload (the Java shim returns an empty array) and records the
        // read with no version.
        ChaincodeResult missing = testbed.evaluate(CC, "GetState", "missing");
        assertThat(payload(missing)).isEmpty();
        assertThat(kv(missing).getReadsList()).containsExactly(readAbsent("missing"));

        // No read-your-writes: Fabric's simulator reads committed state only.
        ChaincodeResult putThenGet = testbed.evaluate(CC, "PutThenGet", "k1", "v2");
        assertThat(payload(putThenGet)).isEqualTo("v1");
        assertThat(kv(putThenGet).getReadsList()).containsExactly(read("k1", put.block(), 0));
        assertThat(kv(putThenGet).getWritesList()).containsExactly(write("k1", "v2"));

        // DelState records a delete (is_delete) and no read; the key is then absent.
        Submitted del = testbed.submit(CC, "DelState", "k1");
        assertThat(kv(del.result()).getReadsList()).isEmpty();
        assertThat(kv(del.result()).getWritesList()).containsExactly(KVWrite.newBuilder().setKey("k1").setIsDelete(true)
                .build());
        ChaincodeResult gone = testbed.evaluate(CC, "GetState", "k1");
        assertThat(payload(gone)).isEmpty();
        assertThat(kv(gone).getReadsList()).containsExactly(readAbsent("k1"));
    }

    @Test
    @Order(3)
    void theEmptyKey() throws Exception {
        // The Java shim sends GetState("") as it is; Fabric on LevelDB finds nothing and records the read.
        ChaincodeResult get = testbed.evaluate(CC, "GetState", "");
        assertThat(payload(get)).isEmpty();
        assertThat(kv(get).getReadsList()).containsExactly(readAbsent(""));
        ChaincodeResult metadata = testbed.evaluate(CC, "GetStateValidationParameter", "");
        assertThat(payload(metadata)).isEqualTo("(null)");
        assertThat(kv(metadata).getReadsList()).containsExactly(readAbsent(""));
        // GetHistoryForKey(""): no writes, no history.
        assertThat(payload(testbed.evaluate(CC, "GetHistoryForKey", ""))).isEqualTo("[]");

        // PutState("") and SetStateValidationParameter("", ...) never leave the Java shim (validateKey).
        for (String function : List.of("PutState", "SetStateValidationParameter")) {
            ChaincodeResult refused = testbed.evaluate(CC, function, "", "v");
            assertFailed(refused, "key cannot not be an empty string", "");
            assertThat(refused.readWriteSet().getNsRwsetList()).isEmpty();
        }
        // DelState("") reaches the node (the Java shim does not check it). Fabric's CouchDB refuses it with this
        // text (LevelDB takes it); Banyan's state store holds no empty key, so it refuses it too.
        Proposed del = testbed.propose(CC, Map.of(), "DelState", "");
        ChaincodeResult delResult = testbed.execute(del);
        assertFailed(delResult, unsuccessful(del), "DEL_STATE failed: transaction ID: " + del.txId()
                + ": invalid key. Empty string is not supported as a key");
        assertThat(delResult.readWriteSet().getNsRwsetList()).isEmpty();
    }

    @Test
    @Order(4)
    void getStateByRange() throws Exception {
        rangeBlock = testbed.submit(CC, "PutStates", "r1", "a", "r2", "b", "r3", "c", "r4", "d", "r5", "e").block();
        long block = rangeBlock;

        // [start, end) in key order; the range is recorded with its raw reads, exhausted, end_key = the query's end
        // (resultsItr.updateRangeQueryInfo); no point reads.
        ChaincodeResult range = testbed.evaluate(CC, "GetStateByRange", "r1", "r4");
        assertThat(jsonPayload(range)).isEqualTo(json("[\"r1=a\",\"r2=b\",\"r3=c\"]"));
        assertThat(kv(range).getReadsList()).isEmpty();
        assertThat(kv(range).getRangeQueriesInfoList()).containsExactly(rangeInfo("r1", "r4", true,
                reads(block, "r1", "r2", "r3")));

        // The peer reads a whole batch (up to 100) ahead of the chaincode: reading one result records them all.
        ChaincodeResult first = testbed.evaluate(CC, "GetFirstOfRange", "r1", "");
        assertThat(jsonPayload(first)).isEqualTo(json("[\"r1=a\"]"));
        assertThat(kv(first).getRangeQueriesInfoList()).containsExactly(rangeInfo("r1", "", true,
                reads(block, "r1", "r2", "r3", "r4", "r5")));

        // An empty start key is the Java shim's "\u0001", which leaves composite keys out.
        ChaincodeResult all = testbed.evaluate(CC, "GetStateByRange", "", "");
        assertThat(jsonPayload(all)).isEqualTo(json("[\"r1=a\",\"r2=b\",\"r3=c\",\"r4=d\",\"r5=e\"]"));
        assertThat(kv(all).getRangeQueriesInfo(0).getStartKey()).isEqualTo("\u0001");
    }

    @Test
    @Order(5)
    void getStateByRangeWithPagination() throws Exception {
        long block = rangeBlock;
        // A page of page_size with the bookmark of the next page (the next key); the handler's total return limit
        // is the page size, so the iterator is not asked past it: end_key = last key, not exhausted.
        ChaincodeResult page1 = testbed.evaluate(CC, "GetStateByRangeWithPagination", "r1", "", "2", "");
        assertThat(jsonPayload(page1)).isEqualTo(json("{\"bookmark\":\"r3\",\"fetched\":2,\"keys\":[\"r1=a\",\"r2=b\"]}"));
        assertThat(kv(page1).getRangeQueriesInfoList()).containsExactly(rangeInfo("r1", "r2", false,
                reads(block, "r1", "r2")));
        // The bookmark replaces the start key (HandleGetStateByRange).
        ChaincodeResult page2 = testbed.evaluate(CC, "GetStateByRangeWithPagination", "r1", "", "2", "r3");
        assertThat(jsonPayload(page2)).isEqualTo(json("{\"bookmark\":\"r5\",\"fetched\":2,\"keys\":[\"r3=c\",\"r4=d\"]}"));
        assertThat(kv(page2).getRangeQueriesInfo(0).getStartKey()).isEqualTo("r3");
        // The last page: an empty bookmark, and the scan ran off the end.
        ChaincodeResult page3 = testbed.evaluate(CC, "GetStateByRangeWithPagination", "r1", "", "2", "r5");
        assertThat(jsonPayload(page3)).isEqualTo(json("{\"bookmark\":\"\",\"fetched\":1,\"keys\":[\"r5=e\"]}"));
        assertThat(kv(page3).getRangeQueriesInfoList()).containsExactly(rangeInfo("r5", "", true, reads(block, "r5")));

        // Page size 0 without a bookmark is not a paginated query (isMetadataSetForPagination): everything, and no
        // metadata in the response.
        ChaincodeResult zero = testbed.evaluate(CC, "GetStateByRangeWithPagination", "r1", "", "0", "");
        assertThat(jsonPayload(zero)).isEqualTo(json("{\"bookmark\":\"\",\"fetched\":0,"
                + "\"keys\":[\"r1=a\",\"r2=b\",\"r3=c\",\"r4=d\",\"r5=e\"]}"));
        // A negative page size is paginated, and LevelDB's scanner does not limit it.
        ChaincodeResult negative = testbed.evaluate(CC, "GetStateByRangeWithPagination", "r1", "", "-1", "");
        assertThat(jsonPayload(negative)).isEqualTo(json("{\"bookmark\":\"\",\"fetched\":5,"
                + "\"keys\":[\"r1=a\",\"r2=b\",\"r3=c\",\"r4=d\",\"r5=e\"]}"));

        // Paginated queries are for read-only transactions (txSimulator.checkPaginatedQueryPerformed).
        Proposed mixed = testbed.propose(CC, Map.of(), "PaginatedThenPut", "x");
        assertFailed(testbed.execute(mixed), unsuccessful(mixed), "PUT_STATE failed: transaction ID: " + mixed.txId()
                + ": txid [" + mixed.txId() + "]: unsuppored transaction. Transaction has already performed a"
                + " paginated query. Writes are not allowed");
    }

    @Test
    @Order(6)
    void rangeQueriesAreRecordedInTheOrderOpened() throws Exception {
        // 105 keys: a range over them stays open at the peer after its first batch (has_more), so it is closed
        // after a range opened later. Fabric records range queries in the order the iterators were created
        // (queryExecutor.itrs), not closed.
        List<String> args = new ArrayList<>(List.of("PutStates"));
        for (int i = 0; i < 105; i++) {
            args.add(String.format("m%03d", i));
            args.add("v");
        }
        long block = testbed.submit(CC, args.toArray(String[]::new)).block();
        ChaincodeResult both = testbed.evaluate(CC, "TwoRanges", "m000", "m999", "r1", "r3");
        JsonNode keys = jsonPayload(both);
        assertThat(keys.get(0)).hasSize(105);
        assertThat(keys.get(1)).isEqualTo(json("[\"r1=a\",\"r2=b\"]"));
        List<RangeQueryInfo> ranges = kv(both).getRangeQueriesInfoList();
        assertThat(ranges).extracting(RangeQueryInfo::getStartKey).containsExactly("m000", "r1");
        assertThat(ranges.get(0).getItrExhausted()).isTrue();
        assertThat(ranges.get(0).getRawReads().getKvReadsList()).hasSize(105)
                .allSatisfy(r -> assertThat(r.getVersion().getBlockNum()).isEqualTo(block));
    }

    @Test
    @Order(7)
    void getStateByPartialCompositeKey() throws Exception {
        Submitted blue = testbed.submit(CC, "PutComposite", "color", "blue", "a1", "x");
        // The Java shim's composite key: U+0000, then each part followed by U+0000.
        assertThat(payload(blue.result())).isEqualTo("\u0000color\u0000blue\u0000a1\u0000");
        assertThat(kv(blue.result()).getWritesList()).containsExactly(write("\u0000color\u0000blue\u0000a1\u0000", "x"));
        testbed.submit(CC, "PutComposite", "color", "red", "a2", "y");
        testbed.submit(CC, "PutComposite", "size", "big", "a3", "z");

        // The shim scans [prefix, prefix + U+10FFFF).
        ChaincodeResult byColor = testbed.evaluate(CC, "GetStateByPartialCompositeKey", "color");
        assertThat(jsonPayload(byColor)).isEqualTo(json("[\"color|blue|a1=x\",\"color|red|a2=y\"]"));
        RangeQueryInfo info = kv(byColor).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("\u0000color\u0000");
        assertThat(info.getEndKey()).isEqualTo("\u0000color\u0000\uDBFF\uDFFF");
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsList()).extracting(KVRead::getKey)
                .containsExactly("\u0000color\u0000blue\u0000a1\u0000", "\u0000color\u0000red\u0000a2\u0000");
        assertThat(jsonPayload(testbed.evaluate(CC, "GetStateByPartialCompositeKey", "color", "blue")))
                .isEqualTo(json("[\"color|blue|a1=x\"]"));

        ChaincodeResult page1 = testbed.evaluate(CC, "GetStateByPartialCompositeKeyWithPagination", "color", "1", "");
        assertThat(jsonPayload(page1)).isEqualTo(JSON.createObjectNode()
                .put("bookmark", "\u0000color\u0000red\u0000a2\u0000").put("fetched", 1)
                .set("keys", json("[\"color|blue|a1=x\"]")));
        ChaincodeResult page2 = testbed.evaluate(CC, "GetStateByPartialCompositeKeyWithPagination", "color", "1",
                "\u0000color\u0000red\u0000a2\u0000");
        assertThat(jsonPayload(page2)).isEqualTo(json("{\"bookmark\":\"\",\"fetched\":1,\"keys\":[\"color|red|a2=y\"]}"));
    }

    @Test
    @Order(8)
    void getHistoryForKey() throws Exception {
        Submitted first = testbed.submit(CC, "PutState", "h", "1");
        Submitted second = testbed.submit(CC, "PutState", "h", "2");
        Submitted deleted = testbed.submit(CC, "DelState", "h");
        // Newest first (Fabric 2.x), each with its transaction's ID and timestamp; a delete has no value.
        ChaincodeResult history = testbed.evaluate(CC, "GetHistoryForKey", "h");
        JsonNode entries = jsonPayload(history);
        assertThat(entries).hasSize(3);
        assertHistoryEntry(entries.get(0), deleted, "", true);
        assertHistoryEntry(entries.get(1), second, "2", false);
        assertHistoryEntry(entries.get(2), first, "1", false);
        // History is not part of the read/write set (it is not re-checked at commit).
        assertThat(history.readWriteSet().getNsRwsetList()).isEmpty();
    }

    @Test
    @Order(9)
    void setEvent() throws Exception {
        // The event travels in COMPLETED; ChaincodeSupport fills in chaincode_id (the name) and tx_id.
        Submitted submitted = testbed.submit(CC, "SetEvent", "moved", "payload");
        assertThat(submitted.result().event()).contains(ChaincodeEvent.newBuilder().setEventName("moved")
                .setPayload(ByteString.copyFromUtf8("payload")).setChaincodeId(CC).setTxId(submitted.txId()).build());
        assertThat(submitted.result().readWriteSet().getNsRwsetList()).isEmpty();
        // The Java shim refuses a blank event name itself.
        assertFailed(testbed.evaluate(CC, "SetEvent", " ", "p"), "event name can not be nil string", "");
    }

    @Test
    @Order(10)
    void transactionInformationComesFromTheSignedProposal() throws Exception {
        // GetTxID, GetChannelID, GetCreator, GetTxTimestamp, GetSignedProposal, GetTransient, GetBinding: the shim
        // answers them from the TRANSACTION message and its signed proposal, with no request to the peer.
        Proposed proposed = testbed.propose(CC, Map.of("secret", ByteString.copyFromUtf8("s3cr3t")), "TxInfo");
        ChaincodeResult result = testbed.execute(proposed);
        JsonNode info = jsonPayload(result);
        Proposal proposal = Proposal.parseFrom(proposed.context().signedProposal().getProposalBytes());
        Header header = Header.parseFrom(proposal.getHeader());
        ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
        SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        assertThat(info.get("txId").asText()).isEqualTo(proposed.txId());
        assertThat(info.get("channelId").asText()).isEqualTo(CHANNEL);
        assertThat(Base64.getDecoder().decode(info.get("creator").asText()))
                .isEqualTo(ChaincodeTestbed.CLIENT.serialize());
        assertThat(info.get("timestamp").asText()).isEqualTo(Instant.ofEpochSecond(
                proposed.timestamp().getSeconds(), proposed.timestamp().getNanos()).toString());
        assertThat(Base64.getDecoder().decode(info.get("signedProposal").asText()))
                .isEqualTo(proposed.context().signedProposal().toByteArray());
        assertThat(info.get("transient")).isEqualTo(json("{\"secret\":\"s3cr3t\"}"));
        // The binding: SHA-256(nonce || creator || epoch as 8 bytes little-endian).
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(signatureHeader.getNonce().toByteArray());
        sha256.update(signatureHeader.getCreator().toByteArray());
        sha256.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(channelHeader.getEpoch()).array());
        assertThat(info.get("binding").asText()).isEqualTo(HexFormat.of().formatHex(sha256.digest()));
        assertThat(info.get("args")).isEqualTo(json("[\"TxInfo\"]"));
        assertThat(result.readWriteSet().getNsRwsetList()).isEmpty();
    }

    @Test
    @Order(11)
    void stateValidationParameter() throws Exception {
        testbed.submit(CC, "PutState", "vp", "value");
        // SetStateValidationParameter writes the key's metadata only: a metadata write with VALIDATION_PARAMETER,
        // no value write, no read.
        Submitted set = testbed.submit(CC, "SetStateValidationParameter", "vp", "policy");
        KVRWSet setRwSet = kv(set.result());
        assertThat(setRwSet.getMetadataWritesList()).containsExactly(KVMetadataWrite.newBuilder().setKey("vp")
                .addEntries(KVMetadataEntry.newBuilder().setName("VALIDATION_PARAMETER")
                        .setValue(ByteString.copyFromUtf8("policy"))).build());
        assertThat(setRwSet.getWritesList()).isEmpty();
        assertThat(setRwSet.getReadsList()).isEmpty();
        // GetStateValidationParameter reads the metadata and records the key's version (queryExecutor reads the
        // versioned value); a key without one answers null.
        ChaincodeResult get = testbed.evaluate(CC, "GetStateValidationParameter", "vp");
        assertThat(payload(get)).isEqualTo("policy");
        assertThat(kv(get).getReadsList()).containsExactly(read("vp", set.block(), 0));
        assertThat(payload(testbed.evaluate(CC, "GetStateValidationParameter", "r1"))).isEqualTo("(null)");
    }

    @Test
    @Order(12)
    void invokeChaincodeOnTheSameChannel() throws Exception {
        // The callee runs in the same transaction and simulator: its writes land in its own namespace of the
        // caller's read/write set, and its Response comes back to the caller.
        Submitted invoked = testbed.submit(CC, "InvokeChaincode", CALLEE, "", "Put", "ck", "cv");
        assertThat(jsonPayload(invoked.result())).isEqualTo(json("{\"message\":\"\",\"payload\":\"put ck\",\"status\":200}"));
        assertThat(invoked.result().readWriteSet().getNsRwsetList()).extracting(NsReadWriteSet::getNamespace)
                .containsExactly(CALLEE);
        assertThat(ChaincodeTestbed.kv(invoked.result().readWriteSet(), CALLEE).getWritesList())
                .containsExactly(write("ck", "cv"));
        // Naming the caller's own channel is the same.
        assertThat(jsonPayload(testbed.evaluate(CC, "InvokeChaincode", CALLEE, CHANNEL, "Put", "ck", "cv2"))
                .get("status").asInt()).isEqualTo(200);
        // A refusal (status 500) is the callee's Response, not an error of the call.
        assertThat(jsonPayload(testbed.evaluate(CC, "InvokeChaincode", CALLEE, "", "Refuse", "no")))
                .isEqualTo(json("{\"message\":\"no\",\"payload\":\"\",\"status\":500}"));
        // An undefined chaincode: HandleInvokeChaincode's "execute failed" around ChaincodeSupport.Invoke's
        // "invalid invocation" around CheckInvocation's "[channel C] failed to get chaincode container info for X"
        // around lscc's "chaincode X not found".
        Proposed undefined = testbed.propose(CC, Map.of(), "InvokeChaincode", "nope", "", "Put", "k", "v");
        assertFailed(testbed.execute(undefined), unsuccessful(undefined), "INVOKE_CHAINCODE failed: transaction ID: "
                + undefined.txId() + ": execute failed: invalid invocation: [channel " + CHANNEL + "] failed to get"
                + " chaincode container info for nope: chaincode nope not found");
        // Banyan does not run chaincode across channels yet (Fabric does, read-only).
        Proposed otherChannel = testbed.propose(CC, Map.of(), "InvokeChaincode", CALLEE, "elsewhere", "Put", "k", "v");
        assertFailed(testbed.execute(otherChannel), unsuccessful(otherChannel), "INVOKE_CHAINCODE failed: transaction"
                + " ID: " + otherChannel.txId() + ": execute failed: invoking chaincode callee on another channel"
                + " (elsewhere) is not supported");
    }

    @Test
    @Order(13)
    void richQueriesAreRefusedAsByFabricsLevelDb() {
        // Fabric's LevelDB state database: ExecuteQuery / ExecuteQueryWithPagination are not supported.
        Proposed query = testbed.propose(CC, Map.of(), "GetQueryResult", "{\"selector\":{}}");
        ChaincodeResult result = testbed.execute(query);
        assertFailed(result, unsuccessful(query), "GET_QUERY_RESULT failed: transaction ID: " + query.txId()
                + ": ExecuteQuery not supported for leveldb");
        assertThat(result.readWriteSet().getNsRwsetList()).isEmpty();
        Proposed paginated = testbed.propose(CC, Map.of(), "GetQueryResultWithPagination", "{\"selector\":{}}", "2", "");
        assertFailed(testbed.execute(paginated), unsuccessful(paginated), "GET_QUERY_RESULT failed: transaction ID: "
                + paginated.txId() + ": ExecuteQueryWithMetadata not supported for leveldb");
    }

    @Test
    @Order(14)
    void privateDataCallsFindNoCollection() {
        // Fabric's collection store answers "collection C/CC/COLL could not be found" for an undefined collection;
        // Banyan has none. Each call reaches the peer as the request type named.
        Map<String, List<String>> calls = Map.of(
                "GET_STATE", List.of("GetPrivateData", "secrets", "k"),
                "GET_PRIVATE_DATA_HASH", List.of("GetPrivateDataHash", "secrets", "k"),
                "PUT_STATE", List.of("PutPrivateData", "secrets", "k", "v"),
                "DEL_STATE", List.of("DelPrivateData", "secrets", "k"),
                "PURGE_PRIVATE_DATA", List.of("PurgePrivateData", "secrets", "k"),
                "GET_STATE_BY_RANGE", List.of("GetPrivateDataByRange", "secrets", "a", "z"),
                "GET_QUERY_RESULT", List.of("GetPrivateDataQueryResult", "secrets", "{}"),
                "GET_STATE_METADATA", List.of("GetPrivateDataValidationParameter", "secrets", "k"),
                "PUT_STATE_METADATA", List.of("SetPrivateDataValidationParameter", "secrets", "k", "p"));
        calls.forEach((type, args) -> {
            Proposed proposed = testbed.propose(CC, Map.of(), args.toArray(String[]::new));
            ChaincodeResult result = testbed.execute(proposed);
            assertFailed(result, unsuccessful(proposed), type + " failed: transaction ID: " + proposed.txId()
                    + ": collection " + CHANNEL + "/" + CC + "/secrets could not be found (Banyan has no private data"
                    + " collections)");
            assertThat(result.readWriteSet().getNsRwsetList()).as(args.getFirst()).isEmpty();
        });
        // An empty collection name never leaves the Java shim.
        assertFailed(testbed.evaluate(CC, "GetPrivateData", "", "k"), "collection must not be an empty string", "");
    }

    @Test
    @Order(15)
    void anUndefinedChaincode() {
        // Fabric's endorser, when lifecycle has no definition (lscc: "chaincode X not found").
        assertThatThrownBy(() -> testbed.evaluate("nope", "GetState", "k"))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("make sure the chaincode nope has been successfully defined on channel " + CHANNEL
                        + " and try again: chaincode nope not found");
    }

    /** What Fabric's Java shim 2.5 throws when the peer answers a request with ERROR (the text is dropped). */
    private static String unsuccessful(Proposed proposed) {
        return "[" + proposed.txId().substring(0, 8) + "]Unsuccessful response received.";
    }

    /** Status 500; the shim's exception message; the peer's ERROR text on the wire (empty: no request sent). */
    private static void assertFailed(ChaincodeResult result, String shimMessage, String nodeError) {
        assertThat(result.response().getStatus()).as(result.response().toString()).isEqualTo(500);
        assertThat(result.response().getMessage()).isEqualTo(shimMessage);
        assertThat(result.response().getPayload().toStringUtf8()).isEqualTo(nodeError);
    }

    private static void assertHistoryEntry(JsonNode entry, Submitted tx, String value, boolean deleted) {
        assertThat(entry.get("txId").asText()).isEqualTo(tx.txId());
        assertThat(entry.get("value").asText()).isEqualTo(value);
        assertThat(entry.get("isDelete").asBoolean()).isEqualTo(deleted);
        assertThat(entry.get("timestamp").asText()).isEqualTo(Instant.ofEpochSecond(tx.timestamp().getSeconds(),
                tx.timestamp().getNanos()).toString());
    }

    private static String payload(ChaincodeResult result) {
        assertThat(result.response().getStatus()).as(result.response().getMessage()).isEqualTo(200);
        return result.response().getPayload().toStringUtf8();
    }

    private static JsonNode jsonPayload(ChaincodeResult result) throws Exception {
        return JSON.readTree(payload(result));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static KVRWSet kv(ChaincodeResult result) throws InvalidProtocolBufferException {
        return ChaincodeTestbed.kv(result.readWriteSet(), CC);
    }

    private static KVWrite write(String key, String value) {
        return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static List<KVRead> reads(long block, String... keys) {
        List<KVRead> reads = new ArrayList<>();
        for (String key : keys) {
            reads.add(read(key, block, 0));
        }
        return reads;
    }

    private static RangeQueryInfo rangeInfo(String start, String end, boolean exhausted, List<KVRead> reads) {
        return RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end).setItrExhausted(exhausted)
                .setRawReads(QueryReads.newBuilder().addAllKvReads(reads)).build();
    }
}
