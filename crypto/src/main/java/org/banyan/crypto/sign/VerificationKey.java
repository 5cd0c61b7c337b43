package org.banyan.crypto.sign;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key already decoded by the provider that will verify with it, so verification does not decode
 * again (decoding per call costs about 6x a verification). Immutable; share freely between threads.
 *
 * @param type the signature scheme
 * @param key the provider's own key object
 * @param provider the provider that decoded {@code key}
 */
public record VerificationKey(KeyType type, PublicKey key, CryptoProvider provider) {
    /** All parts are required. */
    public VerificationKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(provider, "provider");
    }
}
