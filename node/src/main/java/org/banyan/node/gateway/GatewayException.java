package org.banyan.node.gateway;

import io.grpc.Status;
import java.util.List;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * A gateway request that failed, as Fabric's gateway reports it: a gRPC status code, a message, and one
 * {@code gateway.ErrorDetail} per endorser or orderer that contributed to the failure (address, MSP ID, message).
 * The gRPC service sends it as the call's status with the details attached; the REST API maps the code to HTTP.
 */
public final class GatewayException extends Exception {
    private final Status.Code code;
    private final List<ErrorDetail> details;

    public GatewayException(Status.Code code, String message) {
        this(code, message, List.of());
    }

    public GatewayException(Status.Code code, String message, List<ErrorDetail> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public Status.Code code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    /** One endorser's or orderer's part in a failure. */
    static ErrorDetail detail(String address, String mspId, String message) {
        return ErrorDetail.newBuilder().setAddress(address).setMspId(mspId).setMessage(message).build();
    }
}
