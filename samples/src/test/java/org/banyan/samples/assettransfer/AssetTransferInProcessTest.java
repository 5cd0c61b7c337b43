package org.banyan.samples.assettransfer;

import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.samples.testing.ChaincodeClassPath;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract suite with the asset-transfer contract, unmodified, run in-process: loaded from the samples' class
 * path into its own class loader, started as Fabric's {@code ContractRouter} starts it, and called with a
 * {@code ChaincodeStub} served directly from the transaction's simulator — no process, no RPC per state access.
 */
class AssetTransferInProcessTest extends AssetTransferContract {
    private InProcessChaincodes chaincodes;

    @Override
    String startChaincode(ChaincodeTestbed testbed) throws Exception {
        chaincodes = new InProcessChaincodes(testbed::ledger, ChaincodeLimits.defaults());
        return chaincodes.load(CC, ChaincodeClassPath.ofSamples()).getName();
    }

    @Override
    void awaitReady(String registeredId) {
        // Loaded and started by load(): nothing registers.
    }

    @Override
    ChaincodeResult execute(String chaincode, ChaincodeInput input, TransactionContext context) {
        return chaincodes.execute(chaincode, input, context);
    }

    @AfterAll
    void unload() throws Exception {
        if (chaincodes != null) {
            chaincodes.close();
        }
    }
}
