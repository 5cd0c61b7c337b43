package org.banyan.samples.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.hyperledger.fabric.metrics.Metrics;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.NettyChaincodeServer;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.hyperledger.fabric.traces.Traces;

/**
 * A chaincode that misbehaves on request, on Fabric's shim: {@code Put key value} writes and answers;
 * {@code Get key} reads; {@code Hang key seconds} writes the key, then does not answer for that long (past the
 * node's execute timeout). {@link #main} runs it as a chaincode server ({@code CHAINCODE_SERVER_ADDRESS},
 * {@code CORE_CHAINCODE_ID_NAME}), or registering with a peer when no server address is set.
 */
public final class FaultyChaincode extends ChaincodeBase {
    @Override
    public Response init(ChaincodeStub stub) {
        return ResponseUtils.newSuccessResponse();
    }

    @Override
    public Response invoke(ChaincodeStub stub) {
        List<String> params = stub.getParameters();
        return switch (stub.getFunction()) {
            case "Put" -> {
                stub.putState(params.get(0), params.get(1).getBytes(StandardCharsets.UTF_8));
                yield ResponseUtils.newSuccessResponse(params.get(1).getBytes(StandardCharsets.UTF_8));
            }
            case "Get" -> ResponseUtils.newSuccessResponse(stub.getState(params.get(0)));
            case "Hang" -> {
                stub.putState(params.get(0), "hung".getBytes(StandardCharsets.UTF_8));
                try {
                    Thread.sleep(Long.parseLong(params.get(1)) * 1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield ResponseUtils.newSuccessResponse("woke up".getBytes(StandardCharsets.UTF_8));
            }
            default -> ResponseUtils.newErrorResponse("no function " + stub.getFunction());
        };
    }

    public static void main(String[] args) throws Exception {
        FaultyChaincode chaincode = new FaultyChaincode();
        if (System.getenv("CHAINCODE_SERVER_ADDRESS") == null) {
            chaincode.start(args);
            return;
        }
        // What ChaincodeBase.start and ContractRouter set up before they connect or serve.
        chaincode.initializeLogging();
        chaincode.processEnvironmentOptions();
        chaincode.validateOptions();
        Properties config = chaincode.getChaincodeConfig();
        Metrics.initialize(config);
        Traces.initialize(config);
        new NettyChaincodeServer(chaincode, chaincode.getChaincodeServerConfig()).start();
    }
}
