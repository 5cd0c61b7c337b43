package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with the chaincode launched by the node: the package installed is a runnable Java package
 * ({@code chaincode.jar} with {@code Main-Class}, dependencies in {@code lib/}, built by the test from the compiled
 * classes and the runtime dependencies, see {@link ChaincodeJars}); the node extracts it, starts it as a child JVM
 * with Fabric's environment, and it registers with the package ID.
 */
class AssetTransferLaunchedTest extends AssetTransferContract {
    private String packageId;

    @Override
    String startChaincode(ChaincodeTestbed testbed) {
        packageId = testbed.install(ChaincodeJars.javaPackage(LABEL, AssetTransferMain.class));
        return packageId;
    }

    @Test
    @Order(100)
    void theNodeRunsThePackageAsAChildProcessAndKeepsItsLog() throws Exception {
        ChaincodeStatus status = testbed.launcher().status(packageId).orElseThrow();
        assertThat(status.mode()).isEqualTo(ChaincodeStatus.Mode.JAVA_PROCESS);
        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(ProcessHandle.of(status.pid()).map(ProcessHandle::isAlive)).contains(true);
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(status.pid());
        assertThat(status.startMillis()).isPositive();
        System.out.println("launched " + packageId + ": registered " + status.startMillis() + " ms after launch");
        String log = Files.readString(Path.of(status.log()));
        // The node's header lines, then the process's own output. (The shim's dump of its CORE_* settings is at
        // INFO on its own logger, which runs at Fabric's default shim level, WARNING.)
        assertThat(log).contains("] package " + packageId).contains("] started process " + status.pid())
                .contains("Updated all handlers the format");
    }
}
