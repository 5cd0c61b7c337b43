package org.banyan.crypto.sign;

/** A key that is malformed or of a type Banyan does not accept (RSA, a curve other than P-256, ...). */
public final class UnsupportedKeyException extends IllegalArgumentException {
    /** @param message what is wrong with the key */
    public UnsupportedKeyException(String message) {
        super(message);
    }

    /** @param message what is wrong with the key; @param cause the provider's complaint */
    public UnsupportedKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
