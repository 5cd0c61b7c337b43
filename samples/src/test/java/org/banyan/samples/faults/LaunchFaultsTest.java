package org.banyan.samples.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.banyan.ledger.lifecycle.ChaincodePackages;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.node.config.NodeConfig;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a transaction is told when the node cannot bring a package's chaincode up: a process that keeps
 * crashing (restarted with backoff, then given up on), one that never registers (killed after the start timeout,
 * the transaction told Fabric's timeout), a package the node does not run. The node's side only
 * ({@link ChaincodeTestbed}), with a start timeout of 1.5 s and restarts after 100 ms, at most 1 within 10 minutes.
 */
class LaunchFaultsTest {
    private static final String CC = "cc";
    private static final NodeConfig.ChaincodeSettings SETTINGS = new NodeConfig.ChaincodeSettings(true,
            List.of("-Xmx64m"), 1_500, 30_000, 100, 100, 1, 1 << 20, false, false,
            NodeConfig.ChaincodeSettings.DEFAULTS.logLevels());

    private ChaincodeTestbed testbed;

    @BeforeEach
    void open(@TempDir Path dir) {
        testbed = ChaincodeTestbed.open(dir, ChaincodeLimits.defaults(), SETTINGS);
    }

    @AfterEach
    void close() {
        testbed.close();
    }

    /** A Java package of just the test's classes, run with {@code mainClass}. */
    private String install(Class<?> mainClass) {
        String packageId = testbed.install(ChaincodePackages.filesPackage("cc_1.0", "java", "",
                Map.of("chaincode.jar", ChaincodeJars.jar(mainClass))));
        testbed.route(CC, packageId);
        return packageId;
    }

    @Test
    void aProcessThatKeepsCrashingIsRestartedThenGivenUpOnWithItsExitCode() throws Exception {
        String packageId = install(ExitingMain.class);
        ChaincodeStatus gaveUp = awaitStatus(packageId, s -> s.state().equals("GAVE_UP"));
        assertThat(gaveUp.restarts()).isEqualTo(1);
        assertThat(gaveUp.pid()).isEqualTo(-1);
        assertThat(gaveUp.detail()).isEqualTo("chaincode process exited with code 3; not restarted: 2 failures"
                + " within 600 s (restarts resume when the node restarts)");
        assertThatThrownBy(() -> testbed.evaluate(CC, "anything"))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessageEndingWith(": could not launch chaincode " + packageId + ": " + gaveUp.detail());
        // The log holds both runs' output and the node's account of them.
        String log = Files.readString(Path.of(gaveUp.log()));
        assertThat(log.split("crashing on purpose", -1)).hasSize(3);
        assertThat(log).contains("chaincode process exited with code 3");
    }

    @Test
    void aProcessThatNeverRegistersTimesTheTransactionOutAndIsKilled() throws Exception {
        String packageId = install(SilentMain.class);
        long started = System.nanoTime();
        assertThatThrownBy(() -> testbed.evaluate(CC, "anything"))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessageEndingWith(": could not launch chaincode " + packageId
                        + ": timeout expired while starting chaincode " + packageId + " for transaction");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        ChaincodeStatus killed = awaitStatus(packageId, s -> s.restarts() >= 1 || s.state().equals("GAVE_UP"));
        String log = Files.readString(Path.of(killed.log()));
        Matcher first = Pattern.compile("started process (\\d+)").matcher(log);
        assertThat(first.find()).isTrue();
        long pid = Long.parseLong(first.group(1));
        assertThat(log).contains("killing process " + pid + ": chaincode process did not register within 1500 ms");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aPackageTheNodeDoesNotRunSaysSo() {
        String packageId = testbed.install(ChaincodePackages.chaincodePackage("cc_1.0", "golang", "example.com/cc",
                Map.of("main.go", "package main\n")));
        testbed.route(CC, packageId);
        assertThatThrownBy(() -> testbed.evaluate(CC, "anything"))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessageEndingWith(": could not launch chaincode " + packageId + ": no chaincode process is"
                        + " registered with this ID, and the node does not run this package: a package of type"
                        + " 'golang': Banyan launches prebuilt Java packages (type java) and dials ccaas packages;"
                        + " run this chaincode yourself");
        assertThat(testbed.launcher().status(packageId).orElseThrow().state()).isEqualTo("NOT_RUN");
    }

    private ChaincodeStatus awaitStatus(String packageId, Predicate<ChaincodeStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ChaincodeStatus status = testbed.launcher().status(packageId).orElseThrow();
            if (condition.test(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(packageId + " is still " + status);
            }
            Thread.sleep(20);
        }
    }
}
