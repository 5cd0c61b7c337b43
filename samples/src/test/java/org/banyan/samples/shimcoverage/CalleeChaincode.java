package org.banyan.samples.shimcoverage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ResponseUtils;

/**
 * The chaincode {@link ShimCoverageChaincode} invokes: {@code Put key value} writes in its own namespace and
 * answers {@code put key}; {@code Refuse message} answers status 500 with the message.
 */
public final class CalleeChaincode extends ChaincodeBase {
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
                yield ResponseUtils.newSuccessResponse(("put " + params.get(0)).getBytes(StandardCharsets.UTF_8));
            }
            case "Refuse" -> ResponseUtils.newErrorResponse(params.get(0));
            default -> ResponseUtils.newErrorResponse("no function " + stub.getFunction());
        };
    }

    @Override
    public Properties getChaincodeConfig() {
        return ShimCoverageChaincode.withWireErrors(super.getChaincodeConfig());
    }
}
