package org.banyan.crypto.sign;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies ECDSA P-256 and Ed25519 signatures with one verdict on every provider. Thread-safe: each thread
 * gets its own JCA {@link Signature} objects, so many threads verify in parallel without locking.
 *
 * <p>Banyan's rules, checked here before any provider sees the bytes (providers disagree on them):
 * <ul>
 *   <li>ECDSA: the signature is the minimal DER encoding (see {@link EcdsaSignature#decodeStrict}) and low-S
 *       (s &lt;= n/2), as Fabric's {@code IsLowS} check in {@code bccsp/sw/ecdsa.go}.
 *   <li>Ed25519: the signature is exactly 64 bytes.
 * </ul>
 */
public final class SignatureVerifier {
    /** Ed25519 signature length (RFC 8032 section 5.1.6). */
    public static final int ED25519_SIGNATURE_BYTES = 64;

    // Indexed [provider][key type]; each thread has its own because JCA Signature objects are stateful.
    private static final ThreadLocal<Signature[][]> SIGNATURES = ThreadLocal.withInitial(
            () -> new Signature[CryptoProvider.values().length][KeyType.values().length]);

    private final Map<KeyType, CryptoProvider> providers;

    private SignatureVerifier(Map<KeyType, CryptoProvider> providers) {
        this.providers = new EnumMap<>(providers);
    }

    /** A verifier using this machine's default provider per key type ({@link CryptoProviders#defaultFor}). */
    public static SignatureVerifier withDefaults() {
        Map<KeyType, CryptoProvider> chosen = new EnumMap<>(KeyType.class);
        for (KeyType type : KeyType.values()) {
            chosen.put(type, CryptoProviders.defaultFor(type));
        }
        return new SignatureVerifier(chosen);
    }

    /**
     * A verifier that uses the given provider for every key type it supports here, and the default for the
     * others (Conscrypt has no Ed25519). For comparing providers and benchmarks.
     */
    public static SignatureVerifier using(CryptoProvider provider) {
        Map<KeyType, CryptoProvider> chosen = new EnumMap<>(KeyType.class);
        for (KeyType type : KeyType.values()) {
            chosen.put(type, CryptoProviders.supports(provider, type) ? provider : CryptoProviders.defaultFor(type));
        }
        return new SignatureVerifier(chosen);
    }

    /** The provider this verifier uses for the key type. */
    public CryptoProvider providerFor(KeyType type) {
        return providers.get(type);
    }

    /**
     * Decodes a public key (from any provider, e.g. a certificate's) for this verifier's provider. Callers
     * keep the result: decoding costs more than verifying.
     *
     * @throws UnsupportedKeyException when the key is not P-256 or Ed25519, or the provider rejects it
     */
    public VerificationKey decode(PublicKey key) {
        KeyType type = KeyType.of(key);
        CryptoProvider provider = providers.get(type);
        try {
            return new VerificationKey(type, CryptoProviders.decodePublicKey(provider, type, key.getEncoded()), provider);
        } catch (GeneralSecurityException e) {
            throw new UnsupportedKeyException("cannot decode " + type + " key with " + provider, e);
        }
    }

    /**
     * True only when the signature is well-formed by Banyan's rules and valid for the key and message.
     * Never throws for bad signatures; returns false.
     */
    public boolean verify(VerificationKey key, byte[] message, byte[] signature) {
        if (!wellFormed(key.type(), signature)) {
            return false;
        }
        SignatureCounters.verified();
        try {
            Signature verifier = signatureFor(key.provider(), key.type());
            verifier.initVerify(key.key());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // the provider found the encoding bad after all
        } catch (GeneralSecurityException e) {
            throw new UnsupportedKeyException("provider " + key.provider() + " refused the key", e);
        }
    }

    /** Banyan's encoding rules, identical for every provider. */
    static boolean wellFormed(KeyType type, byte[] signature) {
        if (signature == null) {
            return false;
        }
        if (type == KeyType.ED25519) {
            return signature.length == ED25519_SIGNATURE_BYTES;
        }
        Optional<EcdsaSignature> decoded = EcdsaSignature.decodeStrict(signature);
        return decoded.isPresent() && decoded.get().isLowS();
    }

    static Signature signatureFor(CryptoProvider provider, KeyType type) throws GeneralSecurityException {
        Signature[][] perThread = SIGNATURES.get();
        Signature cached = perThread[provider.ordinal()][type.ordinal()];
        if (cached == null) {
            cached = Signature.getInstance(type.signatureAlgorithm(), CryptoProviders.jca(provider));
            perThread[provider.ordinal()][type.ordinal()] = cached;
        }
        return cached;
    }
}
