package org.banyan.node.chaincode.inprocess;

/**
 * A chaincode could not be loaded in-process: its ID is not {@code name[:version]}, the ID is taken, its class path
 * is not readable or has no Fabric Java shim 2.5 API, or the chaincode failed while starting (the message says
 * which, with the chaincode's own exception text).
 */
public final class ChaincodeLoadException extends RuntimeException {
    public ChaincodeLoadException(String message) {
        super(message);
    }

    public ChaincodeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
