package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.node.config.NodeConfig;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with the package installed on a node configured {@code javaInProcess: true}: the node
 * extracts the same runnable Java package the launched mode starts as a child JVM, and loads its jars into its own
 * JVM instead (one class loader per package); transactions run on it without a process or RPC.
 */
class AssetTransferLaunchedInProcessTest extends AssetTransferContract {
    private static final long READY_WAIT_MILLIS = 60_000;
    private String packageId;

    @Override
    NodeConfig.ChaincodeSettings settings() {
        NodeConfig.ChaincodeSettings d = NodeConfig.ChaincodeSettings.DEFAULTS;
        return new NodeConfig.ChaincodeSettings(d.launch(), d.javaOptions(), d.startTimeoutMillis(),
                d.executeTimeoutMillis(), d.restartBackoffMillisMin(), d.restartBackoffMillisMax(), d.restartsMax(),
                d.logBytesMax(), true, d.allowInProcess(), d.logLevels());
    }

    @Override
    String startChaincode(ChaincodeTestbed testbed) {
        packageId = testbed.install(ChaincodeJars.javaPackage(LABEL, AssetTransferMain.class));
        return packageId;
    }

    @Override
    void awaitReady(String registeredId) {
        long deadline = System.currentTimeMillis() + READY_WAIT_MILLIS;
        while (!testbed.inProcess().orElseThrow().isLoaded(registeredId)) {
            assertThat(System.currentTimeMillis()).as("loaded in-process: %s", testbed.launcher().status(registeredId))
                    .isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    ChaincodeResult execute(String chaincode, ChaincodeInput input, TransactionContext context) {
        return testbed.inProcess().orElseThrow().execute(chaincode, input, context);
    }

    @Test
    @Order(100)
    void theNodeLoadedThePackageIntoItsOwnJvm() {
        ChaincodeStatus status = testbed.launcher().status(packageId).orElseThrow();
        assertThat(status.mode()).isEqualTo(ChaincodeStatus.Mode.IN_PROCESS);
        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(status.pid()).isEqualTo(-1);
        assertThat(ProcessHandle.current().children().toList()).as("no chaincode process").isEqualTo(List.of());
    }
}
