package org.banyan.crypto.x509;

/** PEM or DER input that is not the expected certificate, key or CRL. */
public final class PemException extends IllegalArgumentException {
    /** @param message what was expected and not found */
    public PemException(String message) {
        super(message);
    }

    /** @param message what was expected; @param cause the parser's complaint */
    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
