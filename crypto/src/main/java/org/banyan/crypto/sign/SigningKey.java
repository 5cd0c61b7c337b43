package org.banyan.crypto.sign;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * A private key prepared for one provider by {@link Signer#prepare}. Immutable; share between threads.
 *
 * @param type the signature scheme
 * @param key the key object the provider signs with
 * @param provider the provider that signs
 */
public record SigningKey(KeyType type, PrivateKey key, CryptoProvider provider) {
    /** All parts are required. */
    public SigningKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(provider, "provider");
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SigningKey[" + type + ", " + provider + "]";
    }
}
