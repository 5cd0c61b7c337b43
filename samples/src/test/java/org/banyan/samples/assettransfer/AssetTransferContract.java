package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.config.NodeConfig;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.banyan.samples.testing.ChaincodeTestbed.Submitted;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract test suite of the asset-transfer chaincode, unmodified on Fabric's Java shim, written once and run
 * against every way a node meets chaincode: each subclass brings the chaincode up its way
 * ({@link #startChaincode}) — a process its operator started that registers with the package ID, a package the
 * node launches as a child JVM, a chaincode server the node dials, the chaincode loaded in-process — and the
 * same tests must pass.
 *
 * <p>Transactions run through {@link ChaincodeRuntime} over a real ledger ({@link ChaincodeTestbed}), chaincode
 * {@value #CC} resolved to the ID the subclass returns, as lifecycle resolves it to the approved package; each
 * successful submit is committed as a block so the next one reads committed state. The tests run in order and
 * build on each other: create, read, errors, update and transfer, lists (range, pagination), delete, history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AssetTransferContract {
    static final String CHANNEL = ChaincodeTestbed.CHANNEL;
    static final String CC = "basic";
    static final String LABEL = "basic_1.0";

    ChaincodeTestbed testbed;
    ChaincodeRuntime runtime;

    /**
     * Brings the asset-transfer chaincode up for {@code testbed} and returns the ID it runs as (the package ID);
     * the suite then waits until it is ready ({@link #awaitReady}).
     */
    abstract String startChaincode(ChaincodeTestbed testbed) throws Exception;

    /** Waits until the chaincode runs as {@code registeredId}: by default, until its process registered. */
    void awaitReady(String registeredId) {
        testbed.awaitRegistered(registeredId);
    }

    /** Runs one transaction of the chaincode (the way the subclass runs it): by default on the node's runtime. */
    ChaincodeResult execute(String chaincode, ChaincodeInput input, TransactionContext context) {
        return runtime.execute(chaincode, input, context);
    }

    /** The node's {@code chaincode:} settings the testbed runs packages with. */
    NodeConfig.ChaincodeSettings settings() {
        return NodeConfig.ChaincodeSettings.DEFAULTS;
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        testbed = ChaincodeTestbed.open(dir, ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30)),
                settings());
        String registeredId = startChaincode(testbed);
        testbed.route(CC, registeredId);
        runtime = testbed.runtime();
        awaitReady(registeredId);
    }

    @AfterAll
    void stop() {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    @Order(1)
    void createRecordsAReadOfTheAbsentKeyAndTheWrite() throws Exception {
        Submitted created = submit("CreateAsset", "asset1", "blue", "5", "Tomoko", "300");
        assertThat(created.result().response().getStatus()).isEqualTo(200);
        assertThat(json(created.result()).get("Owner").asText()).isEqualTo("Tomoko");
        KVRWSet set = kv(created.result().readWriteSet());
        assertThat(set.getReadsList()).containsExactly(KVRead.newBuilder().setKey("asset1").build());
        assertThat(set.getWrites(0).getKey()).isEqualTo("asset1");
        assertThat(set.getWrites(0).getValue().toStringUtf8())
                .isEqualTo("{\"AppraisedValue\":300,\"Color\":\"blue\",\"ID\":\"asset1\",\"Owner\":\"Tomoko\",\"Size\":5}");
        assertThat(created.block()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void readReturnsTheAssetAndRecordsTheCommittedVersion() throws Exception {
        ChaincodeResult read = evaluate("ReadAsset", "asset1");
        assertThat(json(read).get("Color").asText()).isEqualTo("blue");
        KVRWSet set = kv(read.readWriteSet());
        assertThat(set.getReadsList()).containsExactly(read("asset1", 1, 0));
        assertThat(set.getWritesList()).isEmpty();
        assertThat(evaluate("AssetExists", "asset1").response().getPayload().toStringUtf8()).isEqualTo("true");
    }

    @Test
    @Order(3)
    void missingAndDuplicateAssetsAreRefusedWithFabricSampleErrors() throws Exception {
        ChaincodeResult missing = evaluate("ReadAsset", "nope");
        assertThat(missing.response().getStatus()).isEqualTo(500);
        assertThat(missing.response().getMessage()).isEqualTo("the asset nope does not exist");
        assertThat(kv(missing.readWriteSet()).getReadsList()).containsExactly(KVRead.newBuilder().setKey("nope").build());

        ChaincodeResult duplicate = evaluate("CreateAsset", "asset1", "red", "1", "Max", "1");
        assertThat(duplicate.response().getStatus()).isEqualTo(500);
        assertThat(duplicate.response().getMessage()).isEqualTo("the asset asset1 already exists");

        assertThat(evaluate("UpdateAsset", "nope", "red", "1", "Max", "1").response().getMessage())
                .isEqualTo("the asset nope does not exist");
        assertThat(evaluate("DeleteAsset", "nope").response().getMessage()).isEqualTo("the asset nope does not exist");
        assertThat(evaluate("TransferAsset", "nope", "Max").response().getMessage())
                .isEqualTo("the asset nope does not exist");
    }

    @Test
    @Order(4)
    void updateAndTransferReadTheCommittedVersionAndWrite() throws Exception {
        Submitted updated = submit("UpdateAsset", "asset1", "green", "6", "Tomoko", "400");
        assertThat(kv(updated.result().readWriteSet()).getReadsList()).containsExactly(read("asset1", 1, 0));
        Submitted transferred = submit("TransferAsset", "asset1", "Max");
        assertThat(transferred.result().response().getPayload().toStringUtf8()).isEqualTo("Tomoko");
        KVRWSet set = kv(transferred.result().readWriteSet());
        assertThat(set.getReadsList()).containsExactly(read("asset1", updated.block(), 0));
        assertThat(set.getWrites(0).getValue().toStringUtf8()).contains("\"Owner\":\"Max\"").contains("\"Color\":\"green\"");
        assertThat(json(evaluate("ReadAsset", "asset1")).get("Owner").asText()).isEqualTo("Max");
    }

    @Test
    @Order(5)
    void listReturnsEveryAssetAndRecordsTheRangeQuery() throws Exception {
        submit("CreateAsset", "asset2", "red", "1", "Ann", "10");
        submit("CreateAsset", "asset3", "white", "2", "Bob", "20");
        ChaincodeResult all = evaluate("GetAllAssets");
        assertThat(json(all).findValuesAsText("ID")).containsExactly("asset1", "asset2", "asset3");
        RangeQueryInfo range = kv(all.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(range.getStartKey()).isEqualTo("\u0001");
        assertThat(range.getEndKey()).isEmpty();
        assertThat(range.getItrExhausted()).isTrue();
        assertThat(range.getRawReads().getKvReadsList()).extracting(KVRead::getKey)
                .containsExactly("asset1", "asset2", "asset3");
        assertThat(range.getRawReads().getKvReads(0).getVersion()).isEqualTo(read("asset1", 3, 0).getVersion());

        ChaincodeResult byRange = evaluate("GetAssetsByRange", "asset2", "asset3");
        assertThat(json(byRange).findValuesAsText("ID")).containsExactly("asset2");
    }

    @Test
    @Order(6)
    void paginationReturnsPagesWithBookmarks() throws Exception {
        JsonNode first = json(evaluate("GetAssetsWithPagination", "2", ""));
        assertThat(first.get("assets").findValuesAsText("ID")).containsExactly("asset1", "asset2");
        assertThat(first.get("fetchedRecordsCount").asInt()).isEqualTo(2);
        assertThat(first.get("bookmark").asText()).isEqualTo("asset3");
        JsonNode second = json(evaluate("GetAssetsWithPagination", "2", first.get("bookmark").asText()));
        assertThat(second.get("assets").findValuesAsText("ID")).containsExactly("asset3");
        assertThat(second.get("fetchedRecordsCount").asInt()).isEqualTo(1);
        assertThat(second.get("bookmark").asText()).isEmpty();
    }

    @Test
    @Order(7)
    void deleteWritesATombstoneAndHistoryListsEveryWriteNewestFirst() throws Exception {
        Submitted deleted = submit("DeleteAsset", "asset2");
        KVRWSet set = kv(deleted.result().readWriteSet());
        assertThat(set.getWrites(0).getKey()).isEqualTo("asset2");
        assertThat(set.getWrites(0).getIsDelete()).isTrue();
        assertThat(evaluate("ReadAsset", "asset2").response().getMessage()).isEqualTo("the asset asset2 does not exist");

        JsonNode history = json(evaluate("GetAssetHistory", "asset1"));
        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("asset").get("Owner").asText()).isEqualTo("Max");
        assertThat(history.get(2).get("asset").get("Color").asText()).isEqualTo("blue");
        assertThat(history.get(0).get("txId").asText()).hasSize(64);
        JsonNode deletedHistory = json(evaluate("GetAssetHistory", "asset2"));
        assertThat(deletedHistory.get(0).get("isDelete").asBoolean()).isTrue();
        assertThat(deletedHistory.get(0).get("txId").asText()).isEqualTo(deleted.txId());
        assertThat(deletedHistory.get(1).get("isDelete").asBoolean()).isFalse();
    }

    @Test
    @Order(8)
    void anUnknownChaincodeOrChannelIsAnExecutionError() {
        assertThatThrownBy(() -> execute("nope", input("ReadAsset", "asset1"),
                TransactionContext.of(CHANNEL, "tx-unknown", SignedProposal.getDefaultInstance())))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("make sure the chaincode nope has been successfully defined on channel " + CHANNEL
                        + " and try again: chaincode nope not found");
        assertThatThrownBy(() -> execute(CC, input("ReadAsset", "asset1"),
                TransactionContext.of("otherchannel", "tx-unknown", SignedProposal.getDefaultInstance())))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("failed to find ledger for channel: otherchannel");
    }

    private Submitted submit(String... args) {
        ChaincodeTestbed.Proposed proposed = testbed.propose(CC, Map.of(), args);
        return testbed.commit(proposed, execute(CC, proposed.input(), proposed.context()));
    }

    private ChaincodeResult evaluate(String... args) {
        ChaincodeTestbed.Proposed proposed = testbed.propose(CC, Map.of(), args);
        return execute(CC, proposed.input(), proposed.context());
    }

    private static ChaincodeInput input(String... args) {
        return ChaincodeTestbed.input(args);
    }

    private static JsonNode json(ChaincodeResult result) throws IOException {
        assertThat(result.response().getStatus()).as(result.response().getMessage()).isEqualTo(200);
        return AssetJson.MAPPER.readTree(result.response().getPayload().toByteArray());
    }

    private static KVRWSet kv(TxReadWriteSet set) throws InvalidProtocolBufferException {
        return ChaincodeTestbed.kv(set, CC);
    }

    private static KVRead read(String key, long block, int tx) {
        return ChaincodeTestbed.read(key, block, tx);
    }
}
