package org.banyan.ledger.lifecycle;

/**
 * A refused lifecycle operation, carrying Fabric's message and the status Fabric's {@code _lifecycle} answers it
 * with: 500 for a failure, 404 for a chaincode definition that does not exist. Ordinary input errors (a wrong
 * sequence, a malformed package, a missing approval), never bugs.
 */
public final class LifecycleException extends RuntimeException {
    /** Fabric's status for a failed system chaincode call ({@code shim.ERROR}). */
    public static final int STATUS_ERROR = 500;
    /** Fabric's status for a namespace that is not defined ({@code ErrNamespaceNotDefined}). */
    public static final int STATUS_NOT_FOUND = 404;

    private final int status;

    public LifecycleException(String message) {
        this(STATUS_ERROR, message, null);
    }

    public LifecycleException(String message, Throwable cause) {
        this(STATUS_ERROR, message, cause);
    }

    LifecycleException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** {@link #STATUS_ERROR} or {@link #STATUS_NOT_FOUND}. */
    public int status() {
        return status;
    }

    /** This failure with {@code context + ": "} before the message, as Go's {@code errors.WithMessage}. */
    LifecycleException withContext(String context) {
        return new LifecycleException(status, context + ": " + getMessage(), this);
    }
}
