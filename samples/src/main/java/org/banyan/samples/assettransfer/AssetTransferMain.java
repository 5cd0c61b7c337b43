package org.banyan.samples.assettransfer;

import org.hyperledger.fabric.contract.ContractRouter;

/**
 * Starts the asset-transfer chaincode with Fabric's {@link ContractRouter}: it finds the {@code @Contract}
 * classes and connects to the peer named by the environment Fabric's shim reads — {@code CORE_CHAINCODE_ID_NAME},
 * {@code CORE_PEER_ADDRESS} (host:port), {@code CORE_PEER_TLS_ENABLED} (and the TLS files when true) — or, with
 * {@code CHAINCODE_SERVER_ADDRESS} set, serves as an external chaincode server.
 */
public final class AssetTransferMain {
    private AssetTransferMain() {}

    public static void main(String[] args) throws Exception {
        ContractRouter.main(args);
    }
}
