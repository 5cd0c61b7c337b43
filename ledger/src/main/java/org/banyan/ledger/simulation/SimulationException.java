package org.banyan.ledger.simulation;

/**
 * A simulation call Fabric refuses, with Fabric's message: a write after a paginated query, a paginated query
 * after a write, or any call after the results were taken. The chaincode sees the message as an error.
 */
public final class SimulationException extends RuntimeException {
    public SimulationException(String message) {
        super(message);
    }
}
