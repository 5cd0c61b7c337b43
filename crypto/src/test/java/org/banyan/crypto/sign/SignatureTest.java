package org.banyan.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private static final byte[] MESSAGE = "transfer 10 from A to B".getBytes();

    /** Every provider that loads here and supports the type. */
    static List<CryptoProvider> providers(KeyType type) {
        return Arrays.stream(CryptoProvider.values()).filter(p -> CryptoProviders.supports(p, type)).toList();
    }

    @Test
    void bouncyCastleAlwaysQualifiesAndDefaultsAreSupported() {
        for (KeyType type : KeyType.values()) {
            assertThat(providers(type)).contains(CryptoProvider.BOUNCY_CASTLE, CryptoProvider.SUN_EC);
            assertThat(CryptoProviders.supports(CryptoProviders.defaultFor(type), type)).isTrue();
            // The default is the first supported provider in the measured preference order.
            CryptoProvider first = CryptoProviders.preference(type).stream()
                    .filter(p -> CryptoProviders.supports(p, type)).findFirst().orElseThrow();
            assertThat(CryptoProviders.defaultFor(type)).isEqualTo(first);
        }
        assertThat(CryptoProviders.report()).hasSize(CryptoProvider.values().length);
    }

    @Test
    void ecdsaSignaturesAreLowSAndVerifyOnEveryProvider() {
        KeyPair pair = KeyPairs.generate(KeyType.ECDSA_P256);
        for (CryptoProvider signing : providers(KeyType.ECDSA_P256)) {
            Signer signer = Signer.using(signing);
            SigningKey key = signer.prepare(pair.getPrivate());
            for (int i = 0; i < 40; i++) { // high-S comes out about half the time before normalisation
                byte[] signature = signer.sign(key, MESSAGE);
                assertThat(EcdsaSignature.decodeStrict(signature).orElseThrow().isLowS()).isTrue();
                for (CryptoProvider verifying : providers(KeyType.ECDSA_P256)) {
                    SignatureVerifier verifier = SignatureVerifier.using(verifying);
                    assertThat(verifier.verify(verifier.decode(pair.getPublic()), MESSAGE, signature))
                            .as("%s signed, %s verified", signing, verifying).isTrue();
                }
            }
        }
    }

    @Test
    void ecdsaRejectsHighSWrongKeyAlteredMessageAndBadEncodings() {
        KeyPair pair = KeyPairs.generate(KeyType.ECDSA_P256);
        KeyPair other = KeyPairs.generate(KeyType.ECDSA_P256);
        byte[] good = Signer.withDefaults().sign(Signer.withDefaults().prepare(pair.getPrivate()), MESSAGE);
        EcdsaSignature decoded = EcdsaSignature.decodeStrict(good).orElseThrow();
        byte[] highS = decoded.negateS().encode();
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] nonMinimal = nonMinimalR(decoded);
        byte[] altered = MESSAGE.clone();
        altered[0] ^= 1;
        for (CryptoProvider provider : providers(KeyType.ECDSA_P256)) {
            SignatureVerifier verifier = SignatureVerifier.using(provider);
            VerificationKey key = verifier.decode(pair.getPublic());
            assertThat(verifier.verify(key, MESSAGE, good)).as("%s good", provider).isTrue();
            assertThat(verifier.verify(key, MESSAGE, highS)).as("%s high-S", provider).isFalse();
            assertThat(verifier.verify(verifier.decode(other.getPublic()), MESSAGE, good)).as("%s wrong key", provider).isFalse();
            assertThat(verifier.verify(key, altered, good)).as("%s altered", provider).isFalse();
            assertThat(verifier.verify(key, MESSAGE, truncated)).as("%s truncated", provider).isFalse();
            assertThat(verifier.verify(key, MESSAGE, trailing)).as("%s trailing", provider).isFalse();
            assertThat(verifier.verify(key, MESSAGE, nonMinimal)).as("%s non-minimal", provider).isFalse();
            assertThat(verifier.verify(key, MESSAGE, new byte[0])).isFalse();
        }
    }

    @Test
    void highSVerifiesAtTheProviderButNotThroughBanyan() throws Exception {
        // Proves the low-S rule is Banyan's: a raw JCA provider accepts the n - s twin.
        KeyPair pair = KeyPairs.generate(KeyType.ECDSA_P256);
        byte[] good = Signer.withDefaults().sign(Signer.withDefaults().prepare(pair.getPrivate()), MESSAGE);
        byte[] highS = EcdsaSignature.decodeStrict(good).orElseThrow().negateS().encode();
        java.security.Signature raw = java.security.Signature.getInstance("SHA256withECDSA");
        raw.initVerify(pair.getPublic());
        raw.update(MESSAGE);
        assertThat(raw.verify(highS)).isTrue();
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        assertThat(verifier.verify(verifier.decode(pair.getPublic()), MESSAGE, highS)).isFalse();
    }

    @Test
    void ed25519VerifiesAndRejectsWrongLengthAlteredWrongKey() {
        KeyPair pair = KeyPairs.generate(KeyType.ED25519);
        KeyPair other = KeyPairs.generate(KeyType.ED25519);
        byte[] altered = MESSAGE.clone();
        altered[3] ^= 0x40;
        for (CryptoProvider provider : providers(KeyType.ED25519)) {
            Signer signer = Signer.using(provider);
            byte[] good = signer.sign(signer.prepare(pair.getPrivate()), MESSAGE);
            assertThat(good).hasSize(SignatureVerifier.ED25519_SIGNATURE_BYTES);
            SignatureVerifier verifier = SignatureVerifier.using(provider);
            VerificationKey key = verifier.decode(pair.getPublic());
            assertThat(verifier.verify(key, MESSAGE, good)).as("%s good", provider).isTrue();
            assertThat(verifier.verify(key, altered, good)).as("%s altered", provider).isFalse();
            assertThat(verifier.verify(verifier.decode(other.getPublic()), MESSAGE, good)).isFalse();
            assertThat(verifier.verify(key, MESSAGE, Arrays.copyOf(good, 63))).isFalse();
            assertThat(verifier.verify(key, MESSAGE, Arrays.copyOf(good, 65))).isFalse();
            byte[] flipped = good.clone();
            flipped[10] ^= 1;
            assertThat(verifier.verify(key, MESSAGE, flipped)).isFalse();
        }
    }

    @Test
    void parallelVerificationGivesCorrectVerdicts() throws Exception {
        KeyPair ec = KeyPairs.generate(KeyType.ECDSA_P256);
        KeyPair ed = KeyPairs.generate(KeyType.ED25519);
        Signer signer = Signer.withDefaults();
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        List<VerificationKey> keys = List.of(verifier.decode(ec.getPublic()), verifier.decode(ed.getPublic()));
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> ecSigs = new ArrayList<>();
        List<byte[]> edSigs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] message = ("message " + i).getBytes();
            messages.add(message);
            ecSigs.add(signer.sign(signer.prepare(ec.getPrivate()), message));
            edSigs.add(signer.sign(signer.prepare(ed.getPrivate()), message));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < messages.size(); i++) {
                            // Valid pairs must pass; signature i with message i+1 must fail.
                            byte[] otherMessage = messages.get((i + 1) % messages.size());
                            wrong += verifier.verify(keys.get(0), messages.get(i), ecSigs.get(i)) ? 0 : 1;
                            wrong += verifier.verify(keys.get(1), messages.get(i), edSigs.get(i)) ? 0 : 1;
                            wrong += verifier.verify(keys.get(0), otherMessage, ecSigs.get(i)) ? 1 : 0;
                            wrong += verifier.verify(keys.get(1), otherMessage, edSigs.get(i)) ? 1 : 0;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] nonMinimalR(EcdsaSignature signature) {
        // Re-encode r with a superfluous leading zero byte: same value, non-DER.
        byte[] r = signature.r().toByteArray();
        byte[] s = signature.s().toByteArray();
        byte[] rPadded = new byte[r.length + 1];
        System.arraycopy(r, 0, rPadded, 1, r.length);
        byte[] out = new byte[2 + 2 + rPadded.length + 2 + s.length];
        out[0] = 0x30;
        out[1] = (byte) (out.length - 2);
        out[2] = 0x02;
        out[3] = (byte) rPadded.length;
        System.arraycopy(rPadded, 0, out, 4, rPadded.length);
        out[4 + rPadded.length] = 0x02;
        out[5 + rPadded.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 6 + rPadded.length, s.length);
        assertThat(new BigInteger(1, rPadded)).isEqualTo(signature.r());
        return out;
    }
}
