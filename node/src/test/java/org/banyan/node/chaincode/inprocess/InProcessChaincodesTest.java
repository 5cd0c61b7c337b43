package org.banyan.node.chaincode.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.config.ChaincodeLogLevels;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.TestChains;
import org.banyan.crypto.SigningIdentity;
import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process chaincode, as only in-process shows it: state accesses on the chaincode's own thread with nothing
 * encoded, class-loader isolation and unloading, JVM-wide changes of the shim undone, deadlines for chaincode that
 * does not stop, load errors. The chaincodes are compiled by the test ({@link TestChaincodes}); what chaincode sees
 * and records is compared with the protocol path in the samples' {@code ShimCoverageInProcessTest}.
 */
class InProcessChaincodesTest {
    private static final String CHANNEL = TestChains.CHANNEL;
    private static final SigningIdentity CLIENT = TestChains.identity("Org1MSP", "client", "User1@org1.example.com");

    /** A chaincode of test functions; {@code Same.name()} tells which of two builds it is. */
    private static final String PROBE = """
            package cc;

            import java.nio.charset.StandardCharsets;
            import java.util.List;
            import org.hyperledger.fabric.shim.ChaincodeBase;
            import org.hyperledger.fabric.shim.ChaincodeStub;
            import org.hyperledger.fabric.shim.ResponseUtils;

            public final class Probe extends ChaincodeBase {
                @Override
                public Response init(ChaincodeStub stub) {
                    return ResponseUtils.newSuccessResponse();
                }

                @Override
                public Response invoke(ChaincodeStub stub) {
                    List<String> p = stub.getParameters();
                    switch (stub.getFunction()) {
                        case "Touch": {
                            int n = Integer.parseInt(p.get(0));
                            for (int i = 0; i < n; i++) {
                                stub.putState("k" + i, new byte[] {1});
                                stub.getState("k" + i);
                            }
                            return ok(Thread.currentThread().threadId() + "");
                        }
                        case "Name":
                            return ok(Same.name());
                        case "Spin": {
                            long until = System.nanoTime() + Long.parseLong(p.get(0)) * 1_000_000L;
                            while (System.nanoTime() < until) {
                                Thread.interrupted();
                            }
                            stub.getState("after");
                            return ok("spun");
                        }
                        case "Sleep":
                            try {
                                Thread.sleep(Long.parseLong(p.get(0)));
                                return ok("slept");
                            } catch (InterruptedException e) {
                                stub.getState("after");
                                return ok("interrupted");
                            }
                        case "Crash":
                            throw new IllegalStateException("crash " + p.get(0));
                        default:
                            return ResponseUtils.newErrorResponse("no function " + stub.getFunction());
                    }
                }

                private static Response ok(String text) {
                    return ResponseUtils.newSuccessResponse(text.getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    private static final String CONTRACT = """
            package cc;

            import org.hyperledger.fabric.contract.Context;
            import org.hyperledger.fabric.contract.ContractInterface;
            import org.hyperledger.fabric.contract.annotation.Contract;
            import org.hyperledger.fabric.contract.annotation.Default;
            import org.hyperledger.fabric.contract.annotation.Transaction;

            @Contract(name = "hello")
            @Default
            public final class Hello implements ContractInterface {
                @Transaction
                public String Greet(Context ctx, String who) {
                    ctx.getStub().putStringState("greeted", who);
                    return "hello " + who + " from " + Same.name();
                }
            }
            """;

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private InProcessChaincodes chaincodes;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private int txs;

    @AfterEach
    void stop() {
        if (chaincodes != null) {
            chaincodes.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    private void start(ChaincodeLimits limits) throws Exception {
        start(limits, ChaincodeLogLevels.DEFAULTS);
    }

    private void start(ChaincodeLimits limits, ChaincodeLogLevels logLevels) throws Exception {
        ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
        chaincodes = new InProcessChaincodes(ch -> ch.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty(),
                limits, InProcessChaincodes.Options.defaults().withRefusals(refusals::put).withLogLevels(logLevels));
    }

    /** The probe chaincode built with {@code Same.name()} returning {@code name}. */
    private List<Path> probe(String name) throws Exception {
        return TestChaincodes.classPath(TestChaincodes.compile(dir.resolve("cc-" + name), Map.of(
                "cc.Probe", PROBE,
                "cc.Hello", CONTRACT,
                "cc.Same", "package cc; public final class Same { public static String name() { return \"" + name
                        + "\"; } }")));
    }

    @Test
    void stateAccessesRunOnTheChaincodesThreadAndEncodeNothing() throws Exception {
        start(ChaincodeLimits.defaults());
        chaincodes.load("probe", probe("A"), "cc.Probe");
        Set<Long> readers = ConcurrentHashMap.newKeySet();
        CommittedState committed = CommittedState.of(ledger);
        CommittedState recording = new CommittedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                readers.add(Thread.currentThread().threadId());
                return committed.get(namespace, key);
            }

            @Override
            public StatePage range(String namespace, String startKey, String endKey, int pageSizeMax,
                    String bookmark) {
                readers.add(Thread.currentThread().threadId());
                return committed.range(namespace, startKey, endKey, pageSizeMax, bookmark);
            }
        };
        TransactionContext context = context();
        ChaincodeResult result = chaincodes.execute("probe", "probe", input("Touch", "1000"), context,
                new TxSimulator(context.txId(), recording));
        long chaincodeThread = Long.parseLong(result.response().getPayload().toStringUtf8());
        // 1 000 reads, each served on the thread that runs the chaincode's invoke: none crossed to another thread.
        assertThat(readers).containsExactly(chaincodeThread);
        assertThat(chaincodeThread).isNotEqualTo(Thread.currentThread().threadId());
        KVRWSet set = KVRWSet.parseFrom(result.readWriteSet().getNsRwset(0).getRwset());
        assertThat(set.getReadsCount()).isEqualTo(1000);
        assertThat(set.getWritesCount()).isEqualTo(1000);
        assertThat(refusals).isEmpty();

        // And nothing on the way is encoded or decoded: no protobuf message is written or parsed by the stub, the
        // node's side of the port, or the request logic (the stub reads the signed proposal once, when built).
        JavaClasses classes = new ClassFileImporter().importPackages("org.banyan.node.chaincode");
        Set<String> encoding = Set.of("toByteString", "toByteArray", "writeTo", "parseFrom", "parseDelimitedFrom");
        List<String> encodes = classes.stream()
                .filter(c -> c.getName().matches(".*\\.(ShimStub|ShimResults|ShimKeyValue|InProcessTransaction"
                        + "|ChaincodeRequests|ResultCursor)(\\$.*)?"))
                .flatMap(c -> c.getMethods().stream())
                .filter(m -> !m.getName().equals("answer") && !m.getName().equals("result"))
                .flatMap(m -> m.getCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().isAssignableTo(MessageLite.class)
                        && encoding.contains(call.getName()))
                .map(JavaCall::getDescription)
                .toList();
        assertThat(classes.stream().map(c -> c.getSimpleName())).contains("ShimStub", "InProcessTransaction",
                "ChaincodeRequests");
        assertThat(encodes).isEmpty();
    }

    @Test
    void twoChaincodesWithClassesOfTheSameNameDoNotMeet() throws Exception {
        start(ChaincodeLimits.defaults());
        chaincodes.load("a", probe("A"), "cc.Probe");
        chaincodes.load("b:2.0", probe("B"), "cc.Probe");
        assertThat(payload(chaincodes.execute("a", input("Name"), context()))).isEqualTo("A");
        assertThat(payload(chaincodes.execute("b", input("Name"), context()))).isEqualTo("B");
        ClassLoader a = chaincodes.classLoader("a").orElseThrow();
        ClassLoader b = chaincodes.classLoader("b:2.0").orElseThrow();
        // Each has its own shim and protobuf, neither the node's.
        for (String shared : List.of("org.hyperledger.fabric.shim.ChaincodeStub", "com.google.protobuf.ByteString",
                "cc.Same")) {
            assertThat(a.loadClass(shared)).isNotSameAs(b.loadClass(shared));
        }
        assertThat(a.loadClass("com.google.protobuf.ByteString")).isNotSameAs(ByteString.class);
        // The port is the one thing they share with the node.
        assertThat(a.loadClass("org.banyan.node.chaincode.inprocess.port.PortTransaction"))
                .isSameAs(b.loadClass("org.banyan.node.chaincode.inprocess.port.PortTransaction"))
                .isSameAs(org.banyan.node.chaincode.inprocess.port.PortTransaction.class);
        assertThatThrownBy(() -> a.loadClass(InProcessChaincodes.class.getName()))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(chaincodes.loaded()).containsExactly("a", "b:2.0");
        assertThat(chaincodes.execute("b", input("Name"), context()).chaincodeId().getVersion()).isEqualTo("2.0");
    }

    @Test
    void unloadingReleasesTheClassLoader() throws Exception {
        start(ChaincodeLimits.defaults());
        chaincodes.load("a", probe("A"), "cc.Probe");
        assertThat(payload(chaincodes.execute("a", input("Touch", "3"), context()))).isNotEmpty();
        WeakReference<ClassLoader> loader = new WeakReference<>(chaincodes.classLoader("a").orElseThrow());
        assertThat(chaincodes.unload("a")).isTrue();
        assertThat(chaincodes.unload("a")).isFalse();
        assertThatThrownBy(() -> chaincodes.execute("a", input("Touch", "1"), context()))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("make sure the chaincode a has been successfully defined on channel " + CHANNEL
                        + " and try again: chaincode a not found");
        for (int i = 0; i < 100 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(loader.get()).as(() -> "the unloaded chaincode's class loader is collected; " + holders(loader))
                .isNull();
    }

    @Test
    void theContractApiStartsAsContractRouterWithoutChangingTheNodesLoggingOrProviders() throws Exception {
        start(ChaincodeLimits.defaults());
        Handler[] handlers = Logger.getLogger("").getHandlers();
        Formatter[] formatters = new Formatter[handlers.length];
        for (int i = 0; i < handlers.length; i++) {
            formatters[i] = handlers[i].getFormatter();
        }
        String format = System.getProperty(JvmGlobals.SIMPLE_FORMAT);
        chaincodes.load("hello", probe("C"));
        // The contract API reads the client's identity from the signed proposal.
        ChaincodeResult greeted = chaincodes.execute("hello", input("Greet", "Ann"), signed("hello", "Greet", "Ann"));
        assertThat(payload(greeted)).isEqualTo("hello Ann from C");
        assertThat(KVRWSet.parseFrom(greeted.readWriteSet().getNsRwset(0).getRwset()).getWrites(0).getKey())
                .isEqualTo("greeted");
        // The contract API's own errors, as from a chaincode process.
        assertThat(chaincodes.execute("hello", input("Nope"), signed("hello", "Nope")).response().getMessage())
                .isEqualTo("Undefined contract method called");
        for (int i = 0; i < handlers.length; i++) {
            assertThat(handlers[i].getFormatter()).isSameAs(formatters[i]);
        }
        assertThat(System.getProperty(JvmGlobals.SIMPLE_FORMAT)).isEqualTo(format);
        // ChaincodeBase registers BouncyCastle JVM-wide; the node's provider list stays its own.
        assertThat(Security.getProviders()).noneMatch(p -> p.getClass().getClassLoader() instanceof
                ChaincodeClassLoader);
    }

    @Test
    void theConfiguredLogLevelsWinOverWhatTheShimReadsFromTheNodesEnvironment() throws Exception {
        Logger contract = Logger.getLogger("org.hyperledger.fabric.contract");
        Logger shim = Logger.getLogger("org.hyperledger.fabric.shim");
        Level contractBefore = contract.getLevel();
        Level shimBefore = shim.getLevel();
        try {
            start(ChaincodeLimits.defaults(), new ChaincodeLogLevels("error", "debug"));
            chaincodes.load("hello", probe("L"));
            assertThat(contract.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(shim.getLevel()).isEqualTo(Level.FINEST);
            // The contract API's per-transaction INFO lines are now below its logger's level.
            assertThat(contract.isLoggable(Level.INFO)).isFalse();
            assertThat(payload(chaincodes.execute("hello", input("Greet", "Bo"), signed("hello", "Greet", "Bo"))))
                    .isEqualTo("hello Bo from L");
        } finally {
            contract.setLevel(contractBefore);
            shim.setLevel(shimBefore);
        }
    }

    @Test
    void aChaincodeThatIgnoresItsDeadlineIsAbandonedAndItsLaterRequestsRefused() throws Exception {
        start(ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofMillis(300)));
        chaincodes.load("probe", probe("A"), "cc.Probe");
        TransactionContext spin = context();
        long started = System.nanoTime();
        assertThatThrownBy(() -> chaincodes.execute("probe", input("Spin", "1500"), spin))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("failed to execute transaction " + spin.txId()
                        + ": error sending: timeout expired while executing transaction");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1200));
        assertThat(chaincodes.runaway("probe")).isEqualTo(1);
        // Other transactions run meanwhile, on other threads.
        assertThat(payload(chaincodes.execute("probe", input("Touch", "1"), context()))).isNotEmpty();
        for (int i = 0; i < 100 && chaincodes.runaway("probe") > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(chaincodes.runaway("probe")).isZero();
        // When it finally reads, its transaction is over: Fabric's answer for a request without a transaction.
        assertThat(refusals.get(spin.txId())).isEqualTo("GET_STATE failed: transaction ID: " + spin.txId()
                + ": no ledger context");

        // One that takes its interrupt stops at once.
        TransactionContext sleep = context();
        assertThatThrownBy(() -> chaincodes.execute("probe", input("Sleep", "60000"), sleep))
                .hasMessageEndingWith("timeout expired while executing transaction");
        for (int i = 0; i < 100 && !refusals.containsKey(sleep.txId()); i++) {
            Thread.sleep(20);
        }
        assertThat(refusals.get(sleep.txId())).endsWith(": no ledger context");
        // The refusal is recorded inside the chaincode's call; its thread is counted out just after, as it returns.
        for (int i = 0; i < 100 && chaincodes.runaway("probe") > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(chaincodes.runaway("probe")).isZero();
    }

    @Test
    void aChaincodeThatThrowsAnswersItsStackTraceAsTheShimDoes() throws Exception {
        start(ChaincodeLimits.defaults());
        chaincodes.load("probe", probe("A"), "cc.Probe");
        TransactionContext context = context();
        assertThatThrownBy(() -> chaincodes.execute("probe", input("Crash", "now"), context))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessageStartingWith("transaction returned with failure: java.lang.IllegalStateException: crash now"
                        + System.lineSeparator() + "\tat cc.Probe.invoke(Probe.java:");
        ChaincodeResult refused = chaincodes.execute("probe", input("Unknown"), context());
        assertThat(refused.response().getStatus()).isEqualTo(500);
        assertThat(refused.response().getMessage()).isEqualTo("no function Unknown");
    }

    @Test
    void loadErrors() throws Exception {
        start(ChaincodeLimits.defaults());
        List<Path> probe = probe("A");
        assertThatThrownBy(() -> chaincodes.load("", probe, "cc.Probe")).isInstanceOf(ChaincodeLoadException.class)
                .hasMessage("error in handling register chaincode, chaincodeID name is empty");
        chaincodes.load("probe", probe, "cc.Probe");
        assertThatThrownBy(() -> chaincodes.load("probe", probe, "cc.Probe"))
                .isInstanceOf(ChaincodeLoadException.class).hasMessage("duplicate chaincodeID: probe");
        assertThatThrownBy(() -> chaincodes.load("other", probe, "cc.Missing"))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessageStartingWith("chaincode other could not start: java.lang.ClassNotFoundException: cc.Missing");
        assertThatThrownBy(() -> chaincodes.load("other", List.of(probe.getFirst()), "cc.Probe"))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessage("chaincode other: its class path has no Fabric Java shim"
                        + " (org.hyperledger.fabric.shim.ChaincodeStub)");
        assertThatThrownBy(() -> chaincodes.load("other", List.of(dir.resolve("nothing.jar")), "cc.Probe"))
                .isInstanceOf(ChaincodeLoadException.class).hasMessageEndingWith("nothing.jar is not readable");
        assertThat(chaincodes.loaded()).containsExactly("probe");
    }

    /** What usually keeps a class loader alive (threads, JCA providers, loggers), for a failure message. */
    private static String holders(WeakReference<ClassLoader> ref) {
        ClassLoader loader = ref.get();
        if (loader == null) {
            return "";
        }
        StringBuilder found = new StringBuilder();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getContextClassLoader() == loader)
                .forEach(t -> found.append("thread ").append(t).append("; "));
        for (java.security.Provider p : Security.getProviders()) {
            if (p.getClass().getClassLoader() == loader) {
                found.append("provider ").append(p.getName()).append("; ");
            }
        }
        java.util.logging.LogManager manager = java.util.logging.LogManager.getLogManager();
        for (String name : java.util.Collections.list(manager.getLoggerNames())) {
            Logger logger = manager.getLogger(name);
            if (logger == null) {
                continue;
            }
            if (logger.getClass().getClassLoader() == loader) {
                found.append("logger ").append(name).append("; ");
            }
            for (Handler h : logger.getHandlers()) {
                if (h.getClass().getClassLoader() == loader || (h.getFormatter() != null
                        && h.getFormatter().getClass().getClassLoader() == loader)) {
                    found.append("handler of ").append(name).append("; ");
                }
            }
        }
        return found.toString();
    }

    /** A transaction with a client's signed proposal, as a Fabric SDK builds it. */
    private TransactionContext signed(String chaincode, String... args) {
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        nonce[0] = (byte) ++txs;
        List<ByteString> bytes = java.util.Arrays.stream(args).map(ByteString::copyFromUtf8).toList();
        SignedProposal proposal = Proposals.create(new Proposals.Invocation(CHANNEL, chaincode, bytes, Map.of(),
                Timestamp.newBuilder().setSeconds(1_700_000_000L).build(), nonce), CLIENT);
        return TransactionContext.of(CHANNEL, TxIds.compute(nonce, CLIENT.serialize()), proposal);
    }

    private TransactionContext context() {
        return TransactionContext.of(CHANNEL, "tx" + (++txs), SignedProposal.getDefaultInstance());
    }

    private static ChaincodeInput input(String... args) {
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (String arg : args) {
            input.addArgs(ByteString.copyFromUtf8(arg));
        }
        return input.build();
    }

    private static String payload(ChaincodeResult result) {
        assertThat(result.response().getStatus()).as(result.response().getMessage()).isEqualTo(200);
        return result.response().getPayload().toStringUtf8();
    }
}
