package org.banyan.samples.finance;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * A refused request: the message says what and why in words a client can show; the code (the exception's payload)
 * is stable for programs. The transaction ends with status 500 and nothing it wrote is kept.
 */
public final class Refusal {
    /** The caller's organisation or role may not do this. */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** An argument is malformed or out of range. */
    public static final String BAD_ARGUMENT = "BAD_ARGUMENT";
    /** What the request names does not exist. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** What the request would create exists already. */
    public static final String EXISTS = "EXISTS";
    /** The state does not allow it now (frozen, already sold, not yet due, ...). */
    public static final String CONFLICT = "CONFLICT";
    /** Not enough funds or points. */
    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";

    private Refusal() {}

    public static ChaincodeException of(String code, String message) {
        return new ChaincodeException(message, code.getBytes(StandardCharsets.UTF_8));
    }
}
