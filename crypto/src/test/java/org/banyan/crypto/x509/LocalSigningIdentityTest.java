package org.banyan.crypto.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalSigningIdentityTest {
    @ParameterizedTest
    @EnumSource(KeyType.class)
    void ephemeralIdentitySignsWhatItsCertificateVerifies(KeyType keyType) throws Exception {
        LocalSigningIdentity identity = LocalSigningIdentity.ephemeral("Org7MSP", "peer", "peer0", keyType,
                Instant.parse("2024-01-01T00:00:00Z"));
        byte[] message = "block 42".getBytes(StandardCharsets.UTF_8);
        byte[] signature = identity.sign(message);
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        var key = verifier.decode(identity.certificate().getPublicKey());
        assertThat(verifier.verify(key, message, signature)).isTrue();
        assertThat(verifier.verify(key, "block 43".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(identity.certificate().getSubjectX500Principal().getName()).contains("OU=peer", "CN=peer0");
        SerializedIdentity serialized = SerializedIdentity.parseFrom(identity.serialize());
        assertThat(serialized.getMspid()).isEqualTo("Org7MSP");
        assertThat(serialized.getIdBytes().toByteArray()).isEqualTo(identity.certificatePem());
    }
}
