package org.banyan.crypto;

/**
 * An identity that can sign: a member of one MSP holding its private key. The transaction and block
 * builders sign through this; the key never leaves the implementation. Implementations are thread-safe.
 */
public interface SigningIdentity {
    /** The MSP this identity belongs to, for example {@code Org1MSP}. */
    String mspId();

    /** The X.509 certificate in PEM, exactly as it goes into {@code msp.SerializedIdentity.id_bytes}. */
    byte[] certificatePem();

    /** The encoded {@code msp.SerializedIdentity{mspid, id_bytes}}: Fabric's "creator" bytes. */
    byte[] serialize();

    /**
     * Signs the message: ECDSA P-256 over SHA-256 (DER, low-S, as Fabric) or Ed25519, by the key's type.
     */
    byte[] sign(byte[] message);
}
