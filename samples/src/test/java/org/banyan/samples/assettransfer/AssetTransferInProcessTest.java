package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.samples.testing.ChaincodeClassPath;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asset-transfer contract, unmodified, run in-process: loaded from the samples' class path into its own class
 * loader, started as Fabric's {@code ContractRouter} starts it, over a real ledger; the same assertions as the
 * chaincode process over gRPC ({@link AssetTransferBehaviour}).
 */
class AssetTransferInProcessTest extends AssetTransferBehaviour {
    @TempDir
    static Path dir;
    private ChaincodeTestbed testbed;
    private InProcessChaincodes chaincodes;

    @BeforeAll
    void start() throws Exception {
        ChaincodeLimits limits = ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30));
        testbed = ChaincodeTestbed.open(dir, limits);
        chaincodes = new InProcessChaincodes(testbed::ledger, limits);
        ChaincodeID id = chaincodes.load(CC, ChaincodeClassPath.ofSamples());
        assertThat(id).isEqualTo(ChaincodeID.newBuilder().setName(CC).build());
    }

    @AfterAll
    void stop() throws Exception {
        if (chaincodes != null) {
            chaincodes.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Override
    protected ChaincodeTestbed testbed() {
        return testbed;
    }

    @Override
    protected ChaincodeResult execute(String chaincode, ChaincodeInput input, TransactionContext context) {
        return chaincodes.execute(chaincode, input, context);
    }
}
