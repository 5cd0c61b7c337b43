package org.banyan.crypto.sign;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which providers load on this machine, which support which {@link KeyType}, and the default per key type:
 * the first in {@link #preference(KeyType)} that loads, has the algorithm and passes a known-answer self-test.
 * Thread-safe; the defaults are computed once per JVM.
 */
public final class CryptoProviders {
    /**
     * Preference by measured single-core throughput ({@code SignatureBench}, 2 s warm-up + 2 s per case, 200-byte
     * messages, JDK 25, x86-64, 2 vCPU; two runs): P-256 verify/s ACCP 17,023-19,487, Conscrypt 17,755-17,956,
     * BouncyCastle 1,810-11,933 (pure Java, JIT-dependent), SunEC 1,246-2,389; sign/s ACCP 48,872-56,736,
     * Conscrypt 40,424-43,543, BouncyCastle 6,742-11,734, SunEC 6,312-6,493. ACCP and Conscrypt verify within
     * noise of each other; ACCP signs faster and also covers Ed25519, so it leads.
     */
    private static final List<CryptoProvider> ECDSA_P256_PREFERENCE = List.of(
            CryptoProvider.ACCP, CryptoProvider.CONSCRYPT, CryptoProvider.BOUNCY_CASTLE, CryptoProvider.SUN_EC);

    /**
     * Ed25519 verify/s ACCP 24,323-25,514, BouncyCastle 11,412-11,830, SunEC 1,300-1,373; sign/s ACCP
     * 81,067-101,726, BouncyCastle 24,131-29,954, SunEC 1,399-1,459. Conscrypt 2.5.2 has no Ed25519. ACCP 2.5.0
     * has an Ed25519 {@code Signature} but no {@code KeyFactory}, so its keys are decoded by the JDK (ACCP
     * accepts them).
     */
    private static final List<CryptoProvider> ED25519_PREFERENCE =
            List.of(CryptoProvider.ACCP, CryptoProvider.BOUNCY_CASTLE, CryptoProvider.SUN_EC);

    private static final byte[] SELF_TEST_MESSAGE = "banyan provider self-test".getBytes();

    private CryptoProviders() {}

    /** One line of the machine report: whether the provider loads and what it supports here. */
    public record Status(CryptoProvider provider, boolean loaded, String failure, List<KeyType> keyTypes) {}

    /** The providers to try for a key type, fastest first. */
    public static List<CryptoProvider> preference(KeyType type) {
        return type == KeyType.ECDSA_P256 ? ECDSA_P256_PREFERENCE : ED25519_PREFERENCE;
    }

    /** Every candidate provider with its load outcome and the key types that pass the self-test. */
    public static List<Status> report() {
        List<Status> out = new ArrayList<>();
        for (CryptoProvider candidate : CryptoProvider.values()) {
            CryptoProvider.Load load = candidate.load();
            List<KeyType> types = new ArrayList<>();
            for (KeyType type : KeyType.values()) {
                if (load.provider().isPresent() && selfTest(load.provider().get(), type).isEmpty()) {
                    types.add(type);
                }
            }
            out.add(new Status(candidate, load.provider().isPresent(), load.failure(), List.copyOf(types)));
        }
        return List.copyOf(out);
    }

    /** True when the provider loads and passes the self-test for the key type. */
    public static boolean supports(CryptoProvider candidate, KeyType type) {
        Optional<Provider> provider = candidate.load().provider();
        return provider.isPresent() && selfTest(provider.get(), type).isEmpty();
    }

    /** The default provider for the key type on this machine. BouncyCastle always qualifies. */
    public static CryptoProvider defaultFor(KeyType type) {
        return Defaults.BY_TYPE.get(type);
    }

    /** The loaded JCA provider; for candidates that {@link #supports} reported usable. */
    static Provider jca(CryptoProvider candidate) {
        return candidate.load().provider()
                .orElseThrow(() -> new IllegalStateException(candidate + " does not load: " + candidate.load().failure()));
    }

    /**
     * Decodes an X.509 SubjectPublicKeyInfo with the provider's own KeyFactory, or the JDK's when the provider
     * has none for the algorithm (ACCP's Ed25519).
     */
    static PublicKey decodePublicKey(CryptoProvider candidate, KeyType type, byte[] subjectPublicKeyInfo)
            throws GeneralSecurityException {
        Provider provider = jca(candidate);
        KeyFactory factory = provider.getService("KeyFactory", type.keyAlgorithm()) != null
                ? KeyFactory.getInstance(type.keyAlgorithm(), provider)
                : KeyFactory.getInstance(type.keyAlgorithm());
        return factory.generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    /**
     * Signs with a fresh key and checks that the provider accepts the signature and rejects a tampered message.
     *
     * @return empty when it passes, else the reason
     */
    static Optional<String> selfTest(Provider provider, KeyType type) {
        if (provider.getService("Signature", type.signatureAlgorithm()) == null) {
            return Optional.of(provider.getName() + " has no " + type.signatureAlgorithm());
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm());
            if (type == KeyType.ECDSA_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            Signature signer = Signature.getInstance(type.signatureAlgorithm(), provider);
            signer.initSign(pair.getPrivate());
            signer.update(SELF_TEST_MESSAGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(type.signatureAlgorithm(), provider);
            verifier.initVerify(pair.getPublic());
            verifier.update(SELF_TEST_MESSAGE);
            boolean good = verifier.verify(signature);
            verifier.initVerify(pair.getPublic());
            verifier.update(new byte[] {1, 2, 3});
            boolean tampered = verifier.verify(signature);
            return good && !tampered ? Optional.empty() : Optional.of(provider.getName() + " gave wrong verdicts");
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of(provider.getName() + " failed self-test: " + e);
        }
    }

    private static final class Defaults {
        static final Map<KeyType, CryptoProvider> BY_TYPE = choose();

        private static Map<KeyType, CryptoProvider> choose() {
            Map<KeyType, CryptoProvider> chosen = new EnumMap<>(KeyType.class);
            for (KeyType type : KeyType.values()) {
                for (CryptoProvider candidate : preference(type)) {
                    if (supports(candidate, type)) {
                        chosen.put(type, candidate);
                        break;
                    }
                }
                // BouncyCastle is pure Java and on the class path, so one always qualifies.
                org.banyan.crypto.Assert.that(chosen.containsKey(type), "no provider for %s", type);
            }
            return chosen;
        }
    }
}
