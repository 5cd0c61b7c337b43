package org.banyan.consensus.codec;

/**
 * A saved safety-state record that cannot be trusted: too short (a torn write), a checksum mismatch, an unknown
 * magic or version, or a body that does not decode. The node must not start the replica from it (starting from
 * {@code SafetyState.initial()} instead could make it vote twice in a round); it stops and asks an operator.
 */
public final class CorruptStateException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
