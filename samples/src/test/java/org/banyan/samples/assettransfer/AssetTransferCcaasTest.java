package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.banyan.ledger.lifecycle.ChaincodePackage;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.samples.testing.ChaincodeJars;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The contract suite with chaincode-as-a-service: the chaincode runs as a server the operator started (a child
 * JVM, the shim's server mode on 127.0.0.1), the package installed is Fabric's {@code ccaas} package naming it in
 * {@code connection.json}, and the node dials it ({@code protos.Chaincode/Connect}); it registers with the package
 * ID over that stream.
 */
class AssetTransferCcaasTest extends AssetTransferContract {
    private String packageId;
    private String address;

    @Override
    String startChaincode(ChaincodeTestbed testbed) {
        address = "127.0.0.1:" + ChaincodeTestbed.freePort();
        byte[] ccaas = ChaincodeJars.ccaasPackage(LABEL, address);
        packageId = ChaincodePackage.parse(ccaas).packageId();
        // The server must know its package ID before the install: the ID is the package's hash.
        testbed.startServing("asset-transfer-server", AssetTransferMain.class,
                ChaincodeJars.classpath(AssetTransferMain.class), packageId, address);
        assertThat(testbed.install(ccaas)).isEqualTo(packageId);
        return packageId;
    }

    @Test
    @Order(100)
    void theNodeDialsTheServerItsPackageNames() {
        ChaincodeStatus status = testbed.launcher().status(packageId).orElseThrow();
        assertThat(status.mode()).isEqualTo(ChaincodeStatus.Mode.CHAINCODE_SERVER);
        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(status.address()).isEqualTo(address);
        assertThat(status.pid()).isEqualTo(-1);
    }
}
