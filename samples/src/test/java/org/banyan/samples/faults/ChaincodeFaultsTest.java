package org.banyan.samples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.lifecycle.ChaincodePackage;
import org.banyan.node.Node;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.samples.assettransfer.AssetTransferMain;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.banyan.samples.testing.ChildJvms;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaincode faults through a real node (one organisation, BFT ordering on 127.0.0.1), with both ways a node runs
 * chaincode itself: asset-transfer as a Java package the node launches and supervises, and {@link FaultyChaincode}
 * as a chaincode server the node dials ({@code ccaas}; this test is its operator). A chaincode that crashes (kill
 * -9), hangs past the execute timeout, or whose server goes away gives the client a clear status-500 answer, no
 * endorsement and so no change to the ledger, while the node keeps serving the other chaincode; the node
 * restarts the process, redials the server, and after its own restart runs both again.
 *
 * <p>Small limits keep it quick: execute timeout 3 s, restart backoff 3 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaincodeFaultsTest {
    private static final String CHANNEL = "faultchannel";
    private static final String BASIC = "basic";
    private static final String FAULTY = "faulty";
    private static final long EXECUTE_TIMEOUT_MILLIS = 3_000;
    private static final long RESTART_BACKOFF_MILLIS = 3_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private ChildJvms operator;
    private LocalNetwork.Layout layout;
    private Node node;
    private NetworkClient network;
    private SigningIdentity client;
    private String basicId;
    private String faultyId;
    private String faultyAddress;
    private Process faultyServer;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        operator = new ChildJvms(dir);
        layout = LocalNetwork.write(dir.resolve("net"), 1, CHANNEL, SampleEnvelopes.freeBasePort(1), 1,
                new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 50), "",
                "  executeTimeoutMillis: " + EXECUTE_TIMEOUT_MILLIS + "\n"
                        + "  restartBackoffMillisMin: " + RESTART_BACKOFF_MILLIS + "\n");
        node = Node.start(config());
        network = new NetworkClient(layout);
        client = network.user(0);

        faultyAddress = "127.0.0.1:" + ChaincodeTestbed.freePort();
        byte[] ccaas = ChaincodeJars.ccaasPackage("faulty_1.0", faultyAddress);
        faultyId = ChaincodePackage.parse(ccaas).packageId();
        startFaultyServer();

        byte[] java = ChaincodeJars.javaPackage("basic_1.0", AssetTransferMain.class);
        long installing = System.nanoTime();
        basicId = network.install(0, java);
        long installed = System.nanoTime();
        assertThat(network.install(0, ccaas)).isEqualTo(faultyId);
        network.define(BASIC, "1.0", 1, NetworkClient.channelPolicy(NetworkClient.DEFAULT_ENDORSEMENT_POLICY),
                basicId, WAIT);
        network.define(FAULTY, "1.0", 1, NetworkClient.channelPolicy(NetworkClient.DEFAULT_ENDORSEMENT_POLICY),
                faultyId, WAIT);
        long defined = System.nanoTime();
        // The first transaction waits, in the endorser, for the launched process to register if it has not yet.
        assertThat(endorse(BASIC, "AssetExists", "none").getResponse().getStatus()).isEqualTo(200);
        long firstTransaction = System.nanoTime();
        System.out.printf("install of %d MiB %d ms -> definitions committed %d ms -> first transaction %d ms"
                        + " (process launch -> registered %d ms)%n", java.length >> 20, millis(installed - installing),
                millis(defined - installing), millis(firstTransaction - installing), status(basicId).startMillis());
    }

    @AfterAll
    void stop() {
        clients.shutdownNow();
        if (network != null) {
            network.close();
        }
        if (node != null) {
            node.close();
        }
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    @Order(1)
    void aLaunchedPackageAndADialledServerServeTransactionsThroughTheNode() throws Exception {
        assertThat(submit(BASIC, "CreateAsset", "asset1", "blue", "5", "Tomoko", "300")).isEqualTo(TxValidationCode.VALID);
        assertThat(submit(FAULTY, "Put", "k1", "v1")).isEqualTo(TxValidationCode.VALID);
        assertThat(endorse(FAULTY, "Get", "k1").getResponse().getPayload().toStringUtf8()).isEqualTo("v1");

        ChaincodeStatus basic = status(basicId);
        assertThat(basic.mode()).isEqualTo(ChaincodeStatus.Mode.JAVA_PROCESS);
        assertThat(basic.state()).isEqualTo("RUNNING");
        assertThat(basic.registered()).isTrue();
        ChaincodeStatus faulty = status(faultyId);
        assertThat(faulty.mode()).isEqualTo(ChaincodeStatus.Mode.CHAINCODE_SERVER);
        assertThat(faulty.state()).isEqualTo("RUNNING");
        assertThat(faulty.address()).isEqualTo(faultyAddress);
    }

    @Test
    @Order(2)
    void aChaincodeThatHangsTimesOutClearlyChangesNothingAndOthersKeepBeingServed() throws Exception {
        SignedProposal hang = proposal(FAULTY, "Hang", "h1", "20");
        long started = System.nanoTime();
        Future<ProposalResponse> hung = clients.submit(() -> network.endorse(0, hang));
        Thread.sleep(300); // the chaincode is sleeping in its transaction now

        // Meanwhile: the other chaincode commits, and the hanging one answers other transactions.
        assertThat(submit(BASIC, "CreateAsset", "asset2", "red", "1", "Max", "10")).isEqualTo(TxValidationCode.VALID);
        assertThat(endorse(FAULTY, "Get", "k1").getResponse().getPayload().toStringUtf8()).isEqualTo("v1");
        assertThat(hung.isDone()).as("the hanging transaction is still running").isFalse();

        ProposalResponse answer = hung.get(EXECUTE_TIMEOUT_MILLIS * 3, TimeUnit.MILLISECONDS);
        assertThat(millis(System.nanoTime() - started)).isGreaterThanOrEqualTo(EXECUTE_TIMEOUT_MILLIS);
        assertThat(answer.getResponse().getStatus()).isEqualTo(500);
        assertThat(answer.getResponse().getMessage()).isEqualTo("error in simulation: failed to execute transaction "
                + NetworkClient.txId(hang) + ": error sending: timeout expired while executing transaction");
        assertThat(answer.hasEndorsement()).isFalse();
        // Nothing to submit, nothing committed: its write of h1 is gone with its simulation.
        assertThat(ledger().state(FAULTY, "h1")).isEmpty();
        assertThat(ledger().transaction(NetworkClient.txId(hang))).isEmpty();
    }

    @Test
    @Order(3)
    void aKilledChaincodeProcessFailsClearlyChangesNothingAndIsRestarted() throws Exception {
        ChaincodeStatus before = status(basicId);
        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly(); // kill -9
        ChaincodeStatus down = awaitStatus(basicId, s -> s.state().equals("BACKOFF") && !s.registered());
        assertThat(down.detail()).isEqualTo("chaincode process exited with code 137; restarting in "
                + RESTART_BACKOFF_MILLIS + " ms");

        long height = ledger().height();
        SignedProposal during = proposal(BASIC, "CreateAsset", "asset3", "green", "2", "Ann", "20");
        ProposalResponse refused = network.endorse(0, during);
        assertThat(refused.getResponse().getStatus()).isEqualTo(500);
        assertThat(refused.getResponse().getMessage()).isEqualTo("error in simulation: failed to execute transaction "
                + NetworkClient.txId(during) + ": could not launch chaincode " + basicId + ": chaincode process"
                + " exited with code 137; restarting in " + RESTART_BACKOFF_MILLIS + " ms");
        assertThat(refused.hasEndorsement()).isFalse();
        // The node keeps serving the other chaincode during the outage.
        assertThat(endorse(FAULTY, "Get", "k1").getResponse().getPayload().toStringUtf8()).isEqualTo("v1");
        assertThat(ledger().height()).isEqualTo(height);
        assertThat(ledger().state(BASIC, "asset3")).isEmpty();

        ChaincodeStatus restarted = awaitStatus(basicId, s -> s.state().equals("RUNNING") && s.registered());
        assertThat(restarted.pid()).isNotEqualTo(before.pid());
        assertThat(restarted.restarts()).isEqualTo(before.restarts() + 1);
        assertThat(submit(BASIC, "CreateAsset", "asset3", "green", "2", "Ann", "20")).isEqualTo(TxValidationCode.VALID);
        assertThat(endorse(BASIC, "ReadAsset", "asset1").getResponse().getPayload().toStringUtf8())
                .contains("\"Owner\":\"Tomoko\"");
    }

    @Test
    @Order(4)
    void aChaincodeServerThatWentAwayIsDialledAgainOnceItIsBack() throws Exception {
        faultyServer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        awaitStatus(faultyId, s -> !s.registered());
        ProposalResponse refused = endorse(FAULTY, "Get", "k1");
        assertThat(refused.getResponse().getStatus()).isEqualTo(500);
        assertThat(refused.getResponse().getMessage()).startsWith("error in simulation: failed to execute transaction ")
                .contains(": could not launch chaincode " + faultyId + ": ");
        assertThat(endorse(BASIC, "ReadAsset", "asset1").getResponse().getStatus()).isEqualTo(200);

        startFaultyServer();
        ChaincodeStatus back = awaitStatus(faultyId, s -> s.state().equals("RUNNING") && s.registered());
        assertThat(back.restarts()).isPositive();
        assertThat(endorse(FAULTY, "Get", "k1").getResponse().getPayload().toStringUtf8()).isEqualTo("v1");
    }

    @Test
    @Order(5)
    void aRestartedNodeRunsItsApprovedPackagesAgain() throws Exception {
        long oldPid = status(basicId).pid();
        node.close();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false))
                .as("the node stops the processes it launched").isFalse();

        long restarting = System.nanoTime();
        node = Node.start(config());
        ProposalResponse read = endorseOnceReachable(BASIC, "ReadAsset", "asset3");
        long firstTransaction = System.nanoTime();
        assertThat(read.getResponse().getPayload().toStringUtf8()).contains("\"Owner\":\"Ann\"");
        System.out.printf("node restart -> first transaction %d ms (process launch -> registered %d ms)%n",
                millis(firstTransaction - restarting), status(basicId).startMillis());
        assertThat(endorse(FAULTY, "Get", "k1").getResponse().getPayload().toStringUtf8()).isEqualTo("v1");
    }

    private NodeConfig config() {
        return NodeConfig.load(layout.nodes().getFirst().configFile());
    }

    private void startFaultyServer() {
        faultyServer = operator.start("faulty-server", FaultyChaincode.class,
                ChaincodeJars.classpath(FaultyChaincode.class), ChildJvms.serving(faultyId, faultyAddress), List.of());
    }

    private ChannelLedger ledger() {
        return node.channel(CHANNEL).orElseThrow().ledger();
    }

    private SignedProposal proposal(String chaincode, String... args) {
        List<ByteString> all = new ArrayList<>();
        Arrays.stream(args).map(ByteString::copyFromUtf8).forEach(all::add);
        return network.proposal(client, chaincode, all);
    }

    private ProposalResponse endorse(String chaincode, String... args) {
        return network.endorse(0, proposal(chaincode, args));
    }

    /** As {@link #endorse}, retrying while the client's connection to a restarted node is not up again. */
    private ProposalResponse endorseOnceReachable(String chaincode, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return endorse(chaincode, args);
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private TxValidationCode submit(String chaincode, String... args) throws Exception {
        return network.submit(proposal(chaincode, args), client, WAIT, 0);
    }

    private ChaincodeStatus status(String packageId) {
        return node.chaincodeStatus().stream().filter(s -> s.packageId().equals(packageId)).findFirst()
                .orElseThrow(() -> new AssertionError("the node does not know package " + packageId));
    }

    /** Waits, at most {@link #WAIT}, until the package's status satisfies {@code condition}. */
    private ChaincodeStatus awaitStatus(String packageId, Predicate<ChaincodeStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ChaincodeStatus status = status(packageId);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("package " + packageId + " still " + status + " after " + WAIT
                        + operator.logs());
            }
            Thread.sleep(20);
            status = status(packageId);
        }
        return status;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
