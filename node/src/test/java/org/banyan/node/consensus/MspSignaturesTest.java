package org.banyan.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.banyan.consensus.ReplicaId;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.hyperledger.fabric.protos.common.Consenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MspSignaturesTest {
    @TempDir
    Path dir;

    @Test
    void signAndVerifyRoundTripAndWrongReplicaFails() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(dir, 3, KeyType.ECDSA_P256, 1);
        List<Consenter> consenters = new ArrayList<>();
        List<LocalSigningIdentity> identities = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GeneratedOrg org = network.orgs().get(i);
            LocalSigningIdentity identity = LocalSigningIdentity.load(org.ordererMspDir(), org.mspId());
            identities.add(identity);
            consenters.add(Consenter.newBuilder().setId(i + 1).setMspId(org.mspId())
                    .setIdentity(ByteString.copyFrom(identity.certificatePem())).build());
        }
        MspSignatureVerifier verifier = MspSignatureVerifier.of(consenters, SignatureVerifier.withDefaults());
        byte[] message = "vote for round 7".getBytes(StandardCharsets.UTF_8);
        byte[] signature = new MspVoteSigner(identities.get(1)).sign(message);

        assertThat(verifier.verify(new ReplicaId(1), message, signature)).isTrue();
        assertThat(verifier.verify(new ReplicaId(0), message, signature)).isFalse();
        assertThat(verifier.verify(new ReplicaId(2), message, signature)).isFalse();
        assertThat(verifier.verify(new ReplicaId(9), message, signature)).isFalse();
        byte[] other = "vote for round 8".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(new ReplicaId(1), other, signature)).isFalse();
        assertThat(Files.exists(dir)).isTrue();
    }
}
