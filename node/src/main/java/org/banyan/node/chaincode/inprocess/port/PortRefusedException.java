package org.banyan.node.chaincode.inprocess.port;

/**
 * A request the node refused, with the text of the {@code ERROR} it answers on a chaincode stream
 * ({@code <TYPE> failed: transaction ID: <txid>: <cause>}). Fabric's Java shim does not show that text to the
 * chaincode; the shim side throws what the shim throws instead.
 */
public final class PortRefusedException extends RuntimeException {
    public PortRefusedException(String errorText) {
        super(errorText, null, false, false);
    }
}
