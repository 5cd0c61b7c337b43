package org.banyan.crypto.msp;

/** Why an identity or signature was rejected. Stable names: they appear in logs and transaction codes. */
public enum MspFailure {
    /** The serialized identity names an MSP the registry does not hold. */
    UNKNOWN_MSP,
    /** The bytes are not a {@code msp.SerializedIdentity}. */
    MALFORMED_IDENTITY,
    /** The identity bytes are not one X.509 certificate, or it is a CA certificate, or its key type is unsupported. */
    BAD_CERTIFICATE,
    /** The certificate does not chain to one of the MSP's root CAs. */
    NOT_CHAINED,
    /** Some certificate of the chain expired before the given instant. */
    EXPIRED,
    /** Some certificate of the chain is not yet valid at the given instant. */
    NOT_YET_VALID,
    /** A CRL of the MSP revokes a certificate of the chain. */
    REVOKED,
    /** The identity is valid but does not hold the requested role (or, under NodeOUs, holds no single role). */
    WRONG_ROLE,
    /** The signature does not verify for the identity's key and message, or is not canonical. */
    BAD_SIGNATURE
}
