package org.banyan.crypto.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every provider that loads gives the same verdict, and it is the right one. */
class ProviderAgreementTest {
    private static final KeyPair EC = KeyPairs.generate(KeyType.ECDSA_P256);
    private static final KeyPair ED = KeyPairs.generate(KeyType.ED25519);

    /** What to do to a valid signature or message. */
    enum Tamper { NONE, FLIP_MESSAGE_BIT, FLIP_SIGNATURE_BIT, TRUNCATE, APPEND, HIGH_S }

    @Property(tries = 150)
    void allProvidersAgree(@ForAll @Size(max = 512) byte[] message, @ForAll KeyType type, @ForAll Tamper tamper,
                           @ForAll @IntRange(min = 0, max = 10_000) int position) {
        KeyPair pair = type == KeyType.ECDSA_P256 ? EC : ED;
        Signer signer = Signer.withDefaults();
        byte[] signature = signer.sign(signer.prepare(pair.getPrivate()), message);
        byte[] checkedMessage = message.clone();
        byte[] checkedSignature = signature.clone();
        boolean expected = true;
        switch (tamper) {
            case NONE -> { }
            case FLIP_MESSAGE_BIT -> {
                if (message.length > 0) {
                    checkedMessage[position % message.length] ^= (byte) (1 << (position % 8));
                    expected = false;
                }
            }
            case FLIP_SIGNATURE_BIT -> {
                checkedSignature[position % signature.length] ^= (byte) (1 << (position % 8));
                expected = false;
            }
            case TRUNCATE -> {
                checkedSignature = java.util.Arrays.copyOf(signature, position % signature.length);
                expected = false;
            }
            case APPEND -> {
                checkedSignature = java.util.Arrays.copyOf(signature, signature.length + 1 + position % 3);
                expected = false;
            }
            case HIGH_S -> {
                if (type == KeyType.ECDSA_P256) {
                    checkedSignature = EcdsaSignature.decodeStrict(signature).orElseThrow().negateS().encode();
                    expected = false;
                }
            }
        }
        List<CryptoProvider> providers = SignatureTest.providers(type);
        assertThat(providers).hasSizeGreaterThanOrEqualTo(2);
        for (CryptoProvider provider : providers) {
            SignatureVerifier verifier = SignatureVerifier.using(provider);
            assertThat(verifier.verify(verifier.decode(pair.getPublic()), checkedMessage, checkedSignature))
                    .as("%s %s %s", provider, type, tamper).isEqualTo(expected);
        }
    }

    @Property(tries = 200)
    void derCodecRoundTripsAndLowSIsCanonical(@ForAll("scalars") EcdsaSignature signature) {
        assertThat(EcdsaSignature.decodeStrict(signature.encode())).contains(signature);
        assertThat(signature.toLowS().isLowS()).isTrue();
        assertThat(signature.negateS().negateS()).isEqualTo(signature);
    }

    @Provide
    Arbitrary<EcdsaSignature> scalars() {
        Arbitrary<java.math.BigInteger> scalar = Arbitraries.bigIntegers()
                .between(java.math.BigInteger.ONE, EcdsaSignature.P256_ORDER.subtract(java.math.BigInteger.ONE))
                .edgeCases(config -> config.includeOnly(java.math.BigInteger.ONE));
        return Combinators.combine(scalar, scalar).as(EcdsaSignature::new);
    }
}
