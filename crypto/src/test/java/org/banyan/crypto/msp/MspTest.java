package org.banyan.crypto.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.CertificateAuthority;
import org.banyan.crypto.x509.CertificateProfile;
import org.banyan.crypto.x509.FabricNames;
import org.banyan.crypto.x509.IssuedCertificate;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.Validity;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MspTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    static Path dir;

    static GeneratedNetwork network;
    static MspRegistry registry;

    @BeforeAll
    static void generate() {
        network = CryptoGenerator.generate(dir, 2, KeyType.ECDSA_P256, 1);
        registry = MspRegistry.of(network.orgs().stream().map(o -> MspFolder.load(o.mspDir(), o.mspId())).toList());
    }

    static GeneratedOrg org(int n) {
        return network.orgs().get(n - 1);
    }

    static LocalSigningIdentity identity(Path mspDir, String mspId) {
        return LocalSigningIdentity.load(mspDir, mspId);
    }

    static CertificateAuthority ca(GeneratedOrg org) throws Exception {
        Path caDir = org.orgDir().resolve("ca");
        return CertificateAuthority.of(
                Pem.decodeCertificate(Files.readAllBytes(caDir.resolve("ca." + org.domain() + "-cert.pem"))),
                Pem.decodePrivateKey(Files.readAllBytes(caDir.resolve("priv_sk"))));
    }

    static byte[] serialized(String mspId, X509Certificate certificate) {
        return org.hyperledger.fabric.protos.msp.SerializedIdentity.newBuilder().setMspid(mspId)
                .setIdBytes(com.google.protobuf.ByteString.copyFrom(Pem.encode(certificate))).build().toByteArray();
    }

    @Test
    void rolesComeFromNodeOus() {
        byte[] peer = identity(org(1).peerMspDir(), "Org1MSP").serialize();
        byte[] orderer = identity(org(1).ordererMspDir(), "Org1MSP").serialize();
        byte[] admin = identity(org(1).adminMspDir(), "Org1MSP").serialize();
        byte[] user = identity(org(1).userMspDirs().get(0), "Org1MSP").serialize();
        assertThat(registry.validate(peer, MspRole.PEER, NOW).isValid()).isTrue();
        assertThat(registry.validate(peer, MspRole.MEMBER, NOW).isValid()).isTrue();
        assertThat(registry.validate(peer, MspRole.ADMIN, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(registry.validate(peer, MspRole.ORDERER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(registry.validate(orderer, MspRole.ORDERER, NOW).isValid()).isTrue();
        assertThat(registry.validate(orderer, MspRole.PEER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(registry.validate(admin, MspRole.ADMIN, NOW).isValid()).isTrue();
        assertThat(registry.validate(admin, MspRole.CLIENT, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(registry.validate(user, MspRole.CLIENT, NOW).isValid()).isTrue();
        assertThat(registry.validate(user, MspRole.ADMIN, NOW).failure()).contains(MspFailure.WRONG_ROLE);
    }

    @Test
    void org1IdentityIsRejectedByOrg2AndUnknownMspIsReported() {
        LocalSigningIdentity peer1 = identity(org(1).peerMspDir(), "Org1MSP");
        byte[] claimingOrg2 = serialized("Org2MSP", peer1.certificate());
        assertThat(registry.validate(claimingOrg2, MspRole.MEMBER, NOW).failure()).contains(MspFailure.NOT_CHAINED);
        assertThat(registry.validate(serialized("Org9MSP", peer1.certificate()), MspRole.MEMBER, NOW).failure())
                .contains(MspFailure.UNKNOWN_MSP);
        assertThat(registry.validate(new byte[] {1, 2, 3}, MspRole.MEMBER, NOW).failure())
                .contains(MspFailure.MALFORMED_IDENTITY);
    }

    @Test
    void validityIsCheckedAgainstTheGivenInstant() throws Exception {
        CertificateAuthority ca = ca(org(1));
        // Inside the CA's window (which starts 5 minutes before NOW), ended 2 minutes ago.
        Validity past = new Validity(NOW.minus(Duration.ofMinutes(4)), NOW.minus(Duration.ofMinutes(2)));
        IssuedCertificate expired = ca.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "client", "old@org1.example.com"), KeyType.ECDSA_P256, past));
        byte[] id = serialized("Org1MSP", expired.certificate());
        assertThat(registry.validate(id, MspRole.CLIENT, NOW).failure()).contains(MspFailure.EXPIRED);
        // The same certificate at an instant inside its window is valid: time is a parameter, not the clock.
        assertThat(registry.validate(id, MspRole.CLIENT, NOW.minus(Duration.ofMinutes(3))).isValid()).isTrue();
        byte[] peer = identity(org(1).peerMspDir(), "Org1MSP").serialize();
        assertThat(registry.validate(peer, MspRole.PEER, NOW.minus(Duration.ofDays(1))).failure())
                .contains(MspFailure.NOT_YET_VALID);
    }

    @Test
    void crlRevokedCertificateIsRejectedAfterReload() throws Exception {
        GeneratedOrg org = org(1);
        LocalSigningIdentity user = identity(org.userMspDirs().get(0), "Org1MSP");
        LocalSigningIdentity peer = identity(org.peerMspDir(), "Org1MSP");
        var crl = ca(org).issueCrl(List.of(user.certificate()), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)));
        Path mspCopy = dir.resolve("revoked-msp");
        copy(org.mspDir(), mspCopy);
        Files.createDirectories(mspCopy.resolve("crls"));
        Files.write(mspCopy.resolve("crls").resolve("crl.pem"), Pem.encode(crl));
        FabricMSPConfig config = MspFolder.load(mspCopy, "Org1MSP");
        assertThat(config.getRevocationListCount()).isEqualTo(1);
        MspRegistry reloaded = MspRegistry.of(List.of(config));
        assertThat(reloaded.validate(user.serialize(), MspRole.CLIENT, NOW).failure()).contains(MspFailure.REVOKED);
        assertThat(reloaded.validate(peer.serialize(), MspRole.PEER, NOW).isValid()).isTrue();
        // A CRL signed by another org's CA is refused when the MSP is built.
        var foreign = ca(org(2)).issueCrl(List.of(), NOW, NOW.plus(Duration.ofDays(1)));
        FabricMSPConfig bad = config.toBuilder().addRevocationList(com.google.protobuf.ByteString.copyFrom(Pem.encode(foreign))).build();
        assertThatThrownBy(() -> Msp.of(bad)).isInstanceOf(MspConfigException.class);
    }

    @Test
    void intermediateChainIsAccepted() throws Exception {
        CertificateAuthority root = ca(org(1));
        Validity validity = Validity.days(NOW, 30);
        CertificateAuthority intermediate = root.issueIntermediate(
                FabricNames.subject("org1.example.com", null, "ica.org1.example.com"), KeyType.ECDSA_P256, validity);
        IssuedCertificate leaf = intermediate.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "peer", "peer9.org1.example.com"), KeyType.ED25519, validity));
        FabricMSPConfig base = MspFolder.load(org(1).mspDir(), "Org1MSP");
        // Without the intermediate the leaf does not chain; with it, it does. The NodeOU certificate is the root,
        // which is in the chain, so the role still counts.
        FabricMSPConfig withIca = base.toBuilder()
                .addIntermediateCerts(com.google.protobuf.ByteString.copyFrom(Pem.encode(intermediate.certificate()))).build();
        byte[] id = serialized("Org1MSP", leaf.certificate());
        assertThat(Msp.of(base).validate(leaf.certificate(), MspRole.PEER, NOW).failure()).contains(MspFailure.NOT_CHAINED);
        MspRegistry withIntermediate = MspRegistry.of(List.of(withIca));
        assertThat(withIntermediate.validate(id, MspRole.PEER, NOW).isValid()).isTrue();
        LocalSigningIdentity signer = LocalSigningIdentity.of("Org1MSP", leaf.certificate(), leaf.privateKey());
        byte[] message = "block 7".getBytes();
        assertThat(withIntermediate.verify(id, message, signer.sign(message)).isValid()).isTrue();
    }

    @Test
    void verifyChecksSignatures() {
        LocalSigningIdentity peer = identity(org(2).peerMspDir(), "Org2MSP");
        byte[] message = "proposal".getBytes();
        byte[] signature = peer.sign(message);
        assertThat(registry.verify(peer.serialize(), message, signature).isValid()).isTrue();
        assertThat(registry.verify(peer.serialize(), "other".getBytes(), signature).failure()).contains(MspFailure.BAD_SIGNATURE);
        LocalSigningIdentity other = identity(org(2).adminMspDir(), "Org2MSP");
        assertThat(registry.verify(other.serialize(), message, signature).failure()).contains(MspFailure.BAD_SIGNATURE);
    }

    @Test
    void caCertificateIsNotAnIdentity() throws Exception {
        X509Certificate caCert = ca(org(1)).certificate();
        assertThat(registry.validate(serialized("Org1MSP", caCert), MspRole.MEMBER, NOW).failure())
                .contains(MspFailure.BAD_CERTIFICATE);
    }

    @Test
    void mspFolderCarriesNodeOusAsFabric() {
        FabricMSPConfig config = MspFolder.load(org(1).mspDir(), "Org1MSP");
        assertThat(config.getName()).isEqualTo("Org1MSP");
        assertThat(config.getRootCertsCount()).isEqualTo(1);
        assertThat(config.getTlsRootCertsCount()).isEqualTo(1);
        assertThat(config.getFabricNodeOus().getEnable()).isTrue();
        assertThat(config.getFabricNodeOus().getPeerOuIdentifier().getOrganizationalUnitIdentifier()).isEqualTo("peer");
        assertThat(config.getFabricNodeOus().getAdminOuIdentifier().getCertificate()).isEqualTo(config.getRootCerts(0));
        assertThat(MspFolder.wrap(config).getType()).isEqualTo(0);
        // The same folder yields the same bytes (determinism of channel config).
        assertThat(MspFolder.load(org(1).mspDir(), "Org1MSP").toByteArray()).isEqualTo(config.toByteArray());
        String yaml = NodeOus.standard("cacerts/ca.pem").encode();
        assertThat(NodeOus.decode(yaml)).isEqualTo(NodeOus.standard("cacerts/ca.pem"));
        assertThat(NodeOus.decode("# nothing\nOrganizationalUnitIdentifiers:\n  - Certificate: x\n    OrganizationalUnitIdentifier: y\n").enabled()).isFalse();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
