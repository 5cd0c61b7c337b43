package org.banyan.protocol.policy;

/**
 * A policy definition Fabric would refuse: undecodable bytes, an unknown policy type, a signature policy
 * version other than 0, a {@code signed_by} index outside the identities, an empty rule. Raised when compiling
 * (configuration or chaincode definition time), never while evaluating.
 */
public final class InvalidPolicyException extends RuntimeException {
    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
