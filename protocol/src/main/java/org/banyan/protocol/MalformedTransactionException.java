package org.banyan.protocol;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A transaction's bytes do not form what Fabric's format requires. Carries the validation code Fabric's
 * committer gives such a transaction, so callers can mark it invalid with the same code.
 */
public final class MalformedTransactionException extends Exception {
    private final TxValidationCode code;

    public MalformedTransactionException(TxValidationCode code, String message) {
        this(code, message, null);
    }

    public MalformedTransactionException(TxValidationCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** Fabric's code for this kind of malformation, for example {@code BAD_PAYLOAD}. */
    public TxValidationCode code() {
        return code;
    }
}
