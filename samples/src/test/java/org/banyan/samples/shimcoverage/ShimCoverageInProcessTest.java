package org.banyan.samples.shimcoverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.banyan.samples.testing.ChaincodeTestbed.CHANNEL;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.samples.testing.ChaincodeClassPath;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.banyan.samples.testing.ChaincodeTestbed.Proposed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of in-process chaincode against the protocol path: the shim-coverage chaincodes
 * ({@link ShimCoverageChaincode} as {@code shimcov:1.0}, {@link CalleeChaincode} as {@code callee}) run both in a
 * child JVM on Fabric's shim over gRPC and in-process, over one ledger. Every call of {@link ShimCoverageTest}, in its
 * order, runs the same signed proposal (same tx ID) both ways; the two results must be equal — chaincode ID, status,
 * message, payload, event, read/write set — and, where the node refused a request, the {@code ERROR} text the chaincode
 * process read on the wire (its payload, kept by {@link WireErrors}) must be the text the in-process node refused it
 * with (in-process there is no wire: the payload is empty and the text is seen by the refusal observer). Successful
 * submits commit the protocol path's result, so both keep reading the same committed state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShimCoverageInProcessTest {
    private static final String CC = "shimcov";
    private static final String CALLEE = "callee";

    @TempDir
    static Path dir;
    private ChaincodeTestbed testbed;
    private InProcessChaincodes inProcess;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private int compared;

    @BeforeAll
    void start() throws Exception {
        ChaincodeLimits limits = ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30));
        testbed = ChaincodeTestbed.start(dir, limits, ShimCoverageMain.class, CC, List.of(), List.of(CC, CALLEE));
        inProcess = new InProcessChaincodes(testbed::ledger, limits, InProcessChaincodes.Options.defaults()
                .withRefusals(refusals::put));
        inProcess.load(CC + ":1.0", ChaincodeClassPath.ofSamples(), ShimCoverageChaincode.class.getName());
        inProcess.load(CALLEE, ChaincodeClassPath.ofSamples(), CalleeChaincode.class.getName());
    }

    @AfterAll
    void stop() throws Exception {
        if (inProcess != null) {
            inProcess.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    @Order(1)
    void stateReadsWritesAndDeletes() {
        evaluate("GetState", "nothing");
        submit("PutState", "k1", "v1");
        evaluate("GetState", "k1");
        evaluate("GetState", "missing");
        evaluate("PutThenGet", "k1", "v2");
        submit("DelState", "k1");
        evaluate("GetState", "k1");
    }

    @Test
    @Order(2)
    void theEmptyKey() {
        evaluate("GetState", "");
        evaluate("GetStateValidationParameter", "");
        evaluate("GetHistoryForKey", "");
        evaluate("PutState", "", "v");
        evaluate("SetStateValidationParameter", "", "v");
        assertRefused(evaluate("DelState", ""));
    }

    @Test
    @Order(3)
    void rangesPagesAndTheOrderOpened() {
        submit("PutStates", "r1", "a", "r2", "b", "r3", "c", "r4", "d", "r5", "e");
        evaluate("GetStateByRange", "r1", "r4");
        evaluate("GetFirstOfRange", "r1", "");
        evaluate("GetStateByRange", "", "");
        evaluate("GetStateByRangeWithPagination", "r1", "", "2", "");
        evaluate("GetStateByRangeWithPagination", "r1", "", "2", "r3");
        evaluate("GetStateByRangeWithPagination", "r1", "", "2", "r5");
        evaluate("GetStateByRangeWithPagination", "r1", "", "0", "");
        evaluate("GetStateByRangeWithPagination", "r1", "", "-1", "");
        assertRefused(evaluate("PaginatedThenPut", "x"));
        List<String> args = new ArrayList<>(List.of("PutStates"));
        for (int i = 0; i < 105; i++) {
            args.add(String.format("m%03d", i));
            args.add("v");
        }
        submit(args.toArray(String[]::new));
        evaluate("TwoRanges", "m000", "m999", "r1", "r3");
        evaluate("GetFirstOfRange", "m000", "m999");
    }

    @Test
    @Order(4)
    void compositeKeys() {
        submit("PutComposite", "color", "blue", "a1", "x");
        submit("PutComposite", "color", "red", "a2", "y");
        submit("PutComposite", "size", "big", "a3", "z");
        evaluate("GetStateByPartialCompositeKey", "color");
        evaluate("GetStateByPartialCompositeKey", "color", "blue");
        evaluate("GetStateByPartialCompositeKeyWithPagination", "color", "1", "");
        evaluate("GetStateByPartialCompositeKeyWithPagination", "color", "1", "\u0000color\u0000red\u0000a2\u0000");
        evaluate("GetStateByRange", "\u0000color", "");
    }

    @Test
    @Order(5)
    void historyEventsAndTransactionInformation() {
        submit("PutState", "h", "1");
        submit("PutState", "h", "2");
        submit("DelState", "h");
        evaluate("GetHistoryForKey", "h");
        ChaincodeResult event = submit("SetEvent", "moved", "payload");
        assertThat(event.event()).isPresent();
        evaluate("SetEvent", " ", "p");
        compare(testbed.propose(CC, Map.of("secret", ByteString.copyFromUtf8("s3cr3t")), "TxInfo"));
    }

    @Test
    @Order(6)
    void stateValidationParameters() {
        submit("PutState", "vp", "value");
        submit("SetStateValidationParameter", "vp", "policy");
        evaluate("GetStateValidationParameter", "vp");
        evaluate("GetStateValidationParameter", "r1");
    }

    @Test
    @Order(7)
    void invokeChaincode() {
        submit("InvokeChaincode", CALLEE, "", "Put", "ck", "cv");
        evaluate("InvokeChaincode", CALLEE, CHANNEL, "Put", "ck", "cv2");
        evaluate("InvokeChaincode", CALLEE, "", "Refuse", "no");
        evaluate("InvokeChaincode", CALLEE, "", "Nothing");
        assertRefused(evaluate("InvokeChaincode", "nope", "", "Put", "k", "v"));
        assertRefused(evaluate("InvokeChaincode", CALLEE, "elsewhere", "Put", "k", "v"));
        // A chaincode calling itself in its own transaction: Fabric's handler refuses the second registration of the
        // transaction ID on the same chaincode.
        assertRefused(evaluate("InvokeChaincode", CC, "", "GetState", "k"));
    }

    @Test
    @Order(8)
    void richQueriesAndPrivateData() {
        assertRefused(evaluate("GetQueryResult", "{\"selector\":{}}"));
        assertRefused(evaluate("GetQueryResultWithPagination", "{\"selector\":{}}", "2", ""));
        assertRefused(evaluate("GetPrivateData", "secrets", "k"));
        assertRefused(evaluate("GetPrivateDataHash", "secrets", "k"));
        assertRefused(evaluate("PutPrivateData", "secrets", "k", "v"));
        assertRefused(evaluate("DelPrivateData", "secrets", "k"));
        assertRefused(evaluate("PurgePrivateData", "secrets", "k"));
        assertRefused(evaluate("GetPrivateDataByRange", "secrets", "a", "z"));
        assertRefused(evaluate("GetPrivateDataQueryResult", "secrets", "{}"));
        assertRefused(evaluate("GetPrivateDataValidationParameter", "secrets", "k"));
        assertRefused(evaluate("SetPrivateDataValidationParameter", "secrets", "k", "p"));
        evaluate("GetPrivateData", "", "k");
        evaluate("NoSuchFunction");
    }

    @Test
    @Order(9)
    void executionErrors() {
        // Nothing runs "nope": both refuse it with Fabric's endorser text.
        Proposed undefined = testbed.propose("nope", Map.of(), "GetState", "k");
        Throwable viaProtocol = catchThrowable(() -> testbed.execute(undefined));
        Throwable viaInProcess = catchThrowable(() -> inProcess.execute("nope", undefined.input(),
                undefined.context()));
        assertThat(viaProtocol).isInstanceOf(ChaincodeExecutionException.class);
        assertThat(viaInProcess).isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage(viaProtocol.getMessage());
        assertThat(compared).as("calls compared").isGreaterThan(60);
    }

    private ChaincodeResult submit(String... args) {
        Proposed proposed = testbed.propose(CC, Map.of(), args);
        ChaincodeResult result = compare(proposed);
        testbed.commit(proposed, result);
        return result;
    }

    private ChaincodeResult evaluate(String... args) {
        return compare(testbed.propose(CC, Map.of(), args));
    }

    /** Runs the proposal both ways; they must agree. Returns the protocol path's result. */
    private ChaincodeResult compare(Proposed proposed) {
        ChaincodeResult viaProtocol = testbed.execute(proposed);
        ChaincodeResult viaInProcess = inProcess.execute(proposed.chaincode(), proposed.input(), proposed.context());
        String call = proposed.input().getArgsList().stream().map(ByteString::toStringUtf8).toList().toString();
        assertThat(viaInProcess.chaincodeId()).as(call).isEqualTo(viaProtocol.chaincodeId());
        assertThat(viaInProcess.response().getStatus()).as(call).isEqualTo(viaProtocol.response().getStatus());
        assertThat(viaInProcess.response().getMessage()).as(call).isEqualTo(viaProtocol.response().getMessage());
        String wireError = viaProtocol.response().getStatus() == 500
                ? viaProtocol.response().getPayload().toStringUtf8() : "";
        if (wireError.isEmpty()) {
            assertThat(viaInProcess.response().getPayload()).as(call).isEqualTo(viaProtocol.response().getPayload());
            assertThat(refusals).as(call).doesNotContainKey(proposed.txId());
        } else {
            // The node's ERROR text: on the wire for the process, to the refusal observer in-process.
            assertThat(viaInProcess.response().getPayload()).as(call).isEmpty();
            assertThat(refusals.get(proposed.txId())).as(call).isEqualTo(wireError);
        }
        assertThat(viaInProcess.event()).as(call).isEqualTo(viaProtocol.event());
        assertThat(viaInProcess.readWriteSet()).as(call).isEqualTo(viaProtocol.readWriteSet());
        compared++;
        return viaProtocol;
    }

    /** The node refused one of the call's requests (an ERROR on the wire): the comparison covered its text. */
    private static void assertRefused(ChaincodeResult result) {
        assertThat(result.response().getStatus()).isEqualTo(500);
        assertThat(result.response().getPayload().toStringUtf8()).contains(" failed: transaction ID: ");
    }
}
