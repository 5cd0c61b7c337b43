package org.banyan.node.rest;

import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.banyan.node.gateway.GatewayException;
import org.banyan.node.gateway.RequestLimiter;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * A failed REST request as the client reads it: an HTTP status and the JSON body
 * {@code {"error": message, "code": GRPC_CODE_NAME, "details": [{"address", "mspId", "message"}], ...}}, where
 * {@code code} and {@code details} are those Fabric's gateway gives a gRPC client for the same failure, and
 * {@code extra} carries what the client needs to go on (a transaction's ID, its validation code, its block).
 */
final class ApiError extends Exception {
    private final int httpStatus;
    private final Status.Code code;
    private final List<ErrorDetail> details;
    private final Map<String, Object> extra;

    ApiError(int httpStatus, Status.Code code, String message) {
        this(httpStatus, code, message, List.of(), Map.of());
    }

    ApiError(int httpStatus, Status.Code code, String message, List<ErrorDetail> details, Map<String, Object> extra) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.details = List.copyOf(details);
        this.extra = new LinkedHashMap<>(extra);
    }

    /** A gateway failure with the HTTP status of {@link #httpStatus(Status.Code, String)}. */
    static ApiError of(GatewayException e) {
        return of(e, Map.of());
    }

    static ApiError of(GatewayException e, Map<String, Object> extra) {
        return new ApiError(httpStatus(e.code(), e.getMessage()), e.code(), e.getMessage(), e.details(), extra);
    }

    /** A request the client must fix: 400 INVALID_ARGUMENT. */
    static ApiError badRequest(String message) {
        return new ApiError(400, Status.Code.INVALID_ARGUMENT, message);
    }

    /**
     * The HTTP status for a gateway status code (docs/rest.md, "Errors"): Google's mapping of gRPC codes to HTTP
     * (as in {@code google/rpc/code.proto}), except that
     * <ul>
     *   <li>FAILED_PRECONDITION (an endorser refused the proposal: access denied, chaincode not defined), ABORTED
     *       (endorsements could not be collected or the orderer refused the transaction) and UNKNOWN (the chaincode
     *       answered with an error) are 422: the request was understood and is refused for what it asks; a
     *       transaction committed with a code other than VALID is 409 (see {@code RestApi});
     *   <li>RESOURCE_EXHAUSTED is 429 when the client is over its rate and 503 when the node is at a limit of its
     *       own (concurrent requests, event streams, waiting status calls); a body over the size limit is 413,
     *       answered before the gateway is asked;
     *   <li>CANCELLED (the node is shutting down) is 503.
     * </ul>
     */
    static int httpStatus(Status.Code code, String message) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case FAILED_PRECONDITION, ABORTED, UNKNOWN -> 422;
            case RESOURCE_EXHAUSTED -> message != null && message.startsWith(RequestLimiter.RATE_LIMITED) ? 429 : 503;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE, CANCELLED -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case INTERNAL, DATA_LOSS -> 500;
        };
    }

    int httpStatus() {
        return httpStatus;
    }

    Status.Code code() {
        return code;
    }

    /** The JSON body, fields in a fixed order. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", getMessage());
        body.put("code", code.name());
        body.put("details", details.stream().map(d -> Map.of("address", d.getAddress(), "mspId", d.getMspId(),
                "message", d.getMessage())).toList());
        body.putAll(extra);
        return body;
    }
}
