package org.banyan.crypto.sign;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** The signature schemes a Banyan identity may use. Fabric itself uses only {@link #ECDSA_P256}. */
public enum KeyType {
    /** ECDSA on NIST P-256 (secp256r1) over SHA-256, DER-encoded signatures, low-S as Fabric requires. */
    ECDSA_P256("EC", "SHA256withECDSA"),
    /** Ed25519 (RFC 8032, pure), 64-byte signatures. */
    ED25519("Ed25519", "Ed25519");

    private final String keyAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String keyAlgorithm, String signatureAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA {@code KeyFactory}/{@code KeyPairGenerator} algorithm name. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The JCA {@code Signature} algorithm name. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * The key type of a public key from any provider.
     *
     * @throws UnsupportedKeyException for RSA, other curves or other algorithms
     */
    public static KeyType of(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256
                    || !ec.getParams().getOrder().equals(EcdsaSignature.P256_ORDER)) {
                throw new UnsupportedKeyException("EC key is not on P-256");
            }
            return ECDSA_P256;
        }
        String algorithm = key.getAlgorithm();
        if (algorithm.equalsIgnoreCase("Ed25519") || algorithm.equalsIgnoreCase("EdDSA")) {
            return ED25519;
        }
        throw new UnsupportedKeyException("unsupported public key algorithm " + algorithm);
    }
}
