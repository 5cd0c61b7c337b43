package org.banyan.crypto.sign;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Fresh key pairs from the JDK's generator (SunEC) seeded by the JDK's default {@code SecureRandom}. */
public final class KeyPairs {
    private KeyPairs() {}

    /** A new key pair of the type. The JDK's key objects work with every Banyan provider. */
    public static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm());
            if (type == KeyType.ECDSA_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 21+ has P-256 and Ed25519", e);
        }
    }
}
