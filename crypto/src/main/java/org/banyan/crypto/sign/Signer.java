package org.banyan.crypto.sign;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.banyan.crypto.Assert;

/**
 * Signs with ECDSA P-256 (SHA-256, DER, always low-S as Fabric's {@code signECDSA} normalises) or Ed25519.
 * Thread-safe: JCA {@link Signature} objects are per thread.
 */
public final class Signer {
    private final CryptoProvider ecdsaProvider;
    private final CryptoProvider ed25519Provider;

    private Signer(CryptoProvider ecdsaProvider, CryptoProvider ed25519Provider) {
        this.ecdsaProvider = ecdsaProvider;
        this.ed25519Provider = ed25519Provider;
    }

    /** A signer with this machine's default provider per key type. */
    public static Signer withDefaults() {
        return new Signer(CryptoProviders.defaultFor(KeyType.ECDSA_P256), CryptoProviders.defaultFor(KeyType.ED25519));
    }

    /** A signer using the given provider where it supports the key type, else the default. */
    public static Signer using(CryptoProvider provider) {
        SignatureVerifier choice = SignatureVerifier.using(provider);
        return new Signer(choice.providerFor(KeyType.ECDSA_P256), choice.providerFor(KeyType.ED25519));
    }

    /** The key type of a private key from any provider. */
    public static KeyType typeOf(PrivateKey key) {
        if (key instanceof ECPrivateKey ec) {
            if (!ec.getParams().getOrder().equals(EcdsaSignature.P256_ORDER)) {
                throw new UnsupportedKeyException("EC key is not on P-256");
            }
            return KeyType.ECDSA_P256;
        }
        String algorithm = key.getAlgorithm();
        if (algorithm.equalsIgnoreCase("Ed25519") || algorithm.equalsIgnoreCase("EdDSA")) {
            return KeyType.ED25519;
        }
        throw new UnsupportedKeyException("unsupported private key algorithm " + algorithm);
    }

    /**
     * Converts a private key (from a PEM file, a generator, any provider) once into the signing provider's
     * own form, so signing does not translate it per call.
     */
    public SigningKey prepare(PrivateKey key) {
        KeyType type = typeOf(key);
        CryptoProvider candidate = type == KeyType.ECDSA_P256 ? ecdsaProvider : ed25519Provider;
        Provider provider = CryptoProviders.jca(candidate);
        if (provider.getService("KeyFactory", type.keyAlgorithm()) == null) {
            return new SigningKey(type, key, candidate); // e.g. ACCP Ed25519 signs with JDK keys directly
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(type.keyAlgorithm(), provider);
            return new SigningKey(type, factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded())), candidate);
        } catch (GeneralSecurityException e) {
            throw new UnsupportedKeyException("cannot decode " + type + " private key with " + candidate, e);
        }
    }

    /** Signs the message; ECDSA signatures are normalised to low-S. */
    public byte[] sign(SigningKey key, byte[] message) {
        SignatureCounters.signed();
        byte[] signature;
        try {
            Signature signer = SignatureVerifier.signatureFor(key.provider(), key.type());
            signer.initSign(key.key());
            signer.update(message);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new UnsupportedKeyException("provider " + key.provider() + " cannot sign with the key", e);
        }
        if (key.type() == KeyType.ED25519) {
            Assert.that(signature.length == SignatureVerifier.ED25519_SIGNATURE_BYTES, "ed25519 sig %d bytes", signature.length);
            return signature;
        }
        // Providers emit high-S half the time; Fabric (and Banyan) accept only low-S, so flip s to n - s.
        EcdsaSignature decoded = EcdsaSignature.decodeStrict(signature)
                .orElseThrow(() -> new AssertionError(key.provider() + " produced non-DER ECDSA signature"));
        byte[] lowS = decoded.toLowS().encode();
        Assert.that(SignatureVerifier.wellFormed(KeyType.ECDSA_P256, lowS), "normalised signature not well-formed");
        return lowS;
    }
}
