package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.banyan.ledger.lifecycle.ChaincodePackages;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with the chaincode run by its operator: the package installed is Fabric's Java source
 * package, which the node does not build or run; the operator (this test) starts the process in a child JVM with
 * {@code CORE_CHAINCODE_ID_NAME=<package ID>} and it registers with the node.
 */
class AssetTransferRegisteredTest extends AssetTransferContract {
    private String packageId;

    @Override
    String startChaincode(ChaincodeTestbed testbed) {
        packageId = testbed.install(ChaincodePackages.chaincodePackage(LABEL, "java", "assettransfer",
                Map.of("src/build.gradle", "plugins { id 'java' }\n")));
        testbed.startRegistering("asset-transfer", AssetTransferMain.class,
                ChaincodeJars.classpath(AssetTransferMain.class), packageId, List.of());
        return packageId;
    }

    @Test
    @Order(100)
    void theNodeLeavesASourcePackageToItsOperator() {
        ChaincodeStatus status = testbed.launcher().status(packageId).orElseThrow();
        assertThat(status.mode()).isEqualTo(ChaincodeStatus.Mode.NONE);
        assertThat(status.state()).isEqualTo("NOT_RUN");
        assertThat(status.detail()).startsWith("a Java source package (build.gradle): Banyan does not build chaincode");
    }
}
