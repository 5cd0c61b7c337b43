package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.sign.KeyType;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's own client library ({@code fabric-gateway} 1.5.0) reads the identities Banyan generates, and
 * Banyan's MSP accepts what that library signs: the identity half of "unmodified Fabric clients work".
 */
class FabricGatewayIdentityTest {
    @TempDir
    Path temp;

    @Test
    void fabricGatewayReadsGeneratedIdentitiesAndBanyanVerifiesItsSignatures() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(temp, 2, KeyType.ECDSA_P256, 1);
        GeneratedOrg org1 = network.orgs().get(0);
        Path userMsp = org1.userMspDirs().get(0);

        X509Certificate certificate;
        try (var reader = Files.newBufferedReader(single(userMsp.resolve("signcerts")))) {
            certificate = Identities.readX509Certificate(reader);
        }
        PrivateKey privateKey;
        try (var reader = Files.newBufferedReader(single(userMsp.resolve("keystore")))) {
            privateKey = Identities.readPrivateKey(reader);
        }
        Identity identity = new X509Identity(org1.mspId(), certificate);
        Signer signer = Signers.newPrivateKeySigner(privateKey);

        // The creator bytes a Fabric client puts in its headers.
        byte[] creator = SerializedIdentity.newBuilder().setMspid(identity.getMspId())
                .setIdBytes(com.google.protobuf.ByteString.copyFrom(identity.getCredentials())).build().toByteArray();
        byte[] message = "proposal bytes".getBytes(StandardCharsets.UTF_8);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(message);
        byte[] signature = signer.sign(digest);

        MspRegistry registry = MspRegistry.of(List.of(
                MspFolder.load(org1.mspDir(), org1.mspId()),
                MspFolder.load(network.orgs().get(1).mspDir(), network.orgs().get(1).mspId())));
        Instant now = Instant.now();
        assertThat(registry.validate(creator, MspRole.CLIENT, now).isValid()).isTrue();
        assertThat(registry.validate(creator, MspRole.PEER, now).isValid()).isFalse();
        assertThat(registry.verify(creator, message, signature).isValid()).isTrue();
        assertThat(registry.verify(creator, "other bytes".getBytes(StandardCharsets.UTF_8), signature).isValid()).isFalse();
    }

    private static Path single(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(Files::isRegularFile).toList();
            assertThat(list).hasSize(1);
            return list.get(0);
        }
    }
}
