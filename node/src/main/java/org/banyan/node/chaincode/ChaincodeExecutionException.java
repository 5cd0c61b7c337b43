package org.banyan.node.chaincode;

/**
 * An execution that produced no chaincode response, with Fabric's message: the chaincode is not registered, the
 * channel is unknown, the execution timed out, the stream ended, or the chaincode answered {@code ERROR}
 * ({@code transaction returned with failure: ...}). A chaincode that refuses a transaction is not an exception:
 * its {@code Response} carries status 500 and the message.
 */
public final class ChaincodeExecutionException extends RuntimeException {
    public ChaincodeExecutionException(String message) {
        super(message);
    }
}
