package org.banyan.crypto.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyPairs;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.CertificateAuthority;
import org.banyan.crypto.x509.CertificateProfile;
import org.banyan.crypto.x509.FabricNames;
import org.banyan.crypto.x509.IssuedCertificate;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.Validity;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
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
    void atIssuanceIgnoresExpiryAsFabricsCommitterDoes() throws Exception {
        CertificateAuthority ca = ca(org(1));
        Validity past = new Validity(NOW.minus(Duration.ofMinutes(4)), NOW.minus(Duration.ofMinutes(2)));
        IssuedCertificate expired = ca.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "client", "gone@org1.example.com"), KeyType.ECDSA_P256, past));
        byte[] id = serialized("Org1MSP", expired.certificate());
        assertThat(registry.validate(id, MspRole.CLIENT, ValidityTime.at(NOW)).failure()).contains(MspFailure.EXPIRED);
        assertThat(registry.validate(id, MspRole.CLIENT, ValidityTime.atIssuance()).isValid()).isTrue();
        // Only expiry is waived: the role is still checked.
        assertThat(registry.validate(id, MspRole.PEER, ValidityTime.atIssuance()).failure())
                .contains(MspFailure.WRONG_ROLE);
        // A leaf issued before its CA's window opened fails at issuance, as in Fabric (the CA starts 5 minutes
        // before NOW).
        Validity early = new Validity(NOW.minus(Duration.ofMinutes(10)), NOW.plus(Duration.ofDays(1)));
        IssuedCertificate premature = ca.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "client", "early@org1.example.com"), KeyType.ECDSA_P256, early));
        assertThat(registry.validate(serialized("Org1MSP", premature.certificate()), MspRole.CLIENT,
                ValidityTime.atIssuance()).failure()).contains(MspFailure.NOT_YET_VALID);
    }

    @Test
    void aSignatureVerdictIsRememberedOnlyForTheExactBytes() throws Exception {
        LocalSigningIdentity user = identity(org(1).userMspDirs().getFirst(), "Org1MSP");
        byte[] message = "pay 10 to bob".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = user.sign(message);
        assertThat(registry.verify(user.serialize(), message, signature).isValid()).isTrue();
        assertThat(registry.verify(user.serialize(), message, signature).isValid()).isTrue();
        byte[] other = "pay 99 to eve".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(registry.verify(user.serialize(), other, signature).failure()).contains(MspFailure.BAD_SIGNATURE);
        byte[] longer = java.util.Arrays.copyOf(message, message.length + 1);
        assertThat(registry.verify(user.serialize(), longer, signature).failure()).contains(MspFailure.BAD_SIGNATURE);
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

    // ---- NodeOUs: every OU attribute counts, exactly one may be a NodeOU (Fabric validateIdentityOUsV142) ----

    /** Org1's C, ST, L, O as cryptogen writes them, then the given RDNs. */
    private static X500NameBuilder org1Name() {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "US").addRDN(BCStyle.ST, "California")
                .addRDN(BCStyle.L, "San Francisco").addRDN(BCStyle.O, "org1.example.com");
    }

    private static X509Certificate issuedByOrg1(X500Name subject) throws Exception {
        return ca(org(1)).issue(CertificateProfile.signing(subject, KeyType.ECDSA_P256, Validity.days(NOW, 30))).certificate();
    }

    private static Msp org1() {
        return Msp.of(MspFolder.load(org(1).mspDir(), "Org1MSP"));
    }

    @Test
    void twoNodeOusInSeparateRdnsAreRejected() throws Exception {
        X509Certificate both = issuedByOrg1(org1Name().addRDN(BCStyle.OU, "peer").addRDN(BCStyle.OU, "client")
                .addRDN(BCStyle.CN, "both.org1.example.com").build());
        assertThat(org1().validate(both, MspRole.MEMBER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(org1().validate(both, MspRole.PEER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
    }

    @Test
    void twoNodeOusInOneMultiValuedRdnAreRejected() throws Exception {
        X509Certificate both = issuedByOrg1(org1Name().addMultiValuedRDN(new AttributeTypeAndValue[] {
                        new AttributeTypeAndValue(BCStyle.OU, BCStyle.INSTANCE.stringToValue(BCStyle.OU, "peer")),
                        new AttributeTypeAndValue(BCStyle.OU, BCStyle.INSTANCE.stringToValue(BCStyle.OU, "client"))})
                .addRDN(BCStyle.CN, "both.org1.example.com").build());
        assertThat(org1().validate(both, MspRole.PEER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(org1().validate(both, MspRole.CLIENT, NOW).failure()).contains(MspFailure.WRONG_ROLE);
        assertThat(org1().validate(both, MspRole.MEMBER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
    }

    @Test
    void roleOfAMultiValuedRdnComesFromItsOuOnly() throws Exception {
        // CN=peer + OU=client: the CN sorts first in the DER SET, yet only the OU names a role.
        X509Certificate client = issuedByOrg1(org1Name().addMultiValuedRDN(new AttributeTypeAndValue[] {
                new AttributeTypeAndValue(BCStyle.CN, BCStyle.INSTANCE.stringToValue(BCStyle.CN, "peer")),
                new AttributeTypeAndValue(BCStyle.OU, BCStyle.INSTANCE.stringToValue(BCStyle.OU, "client"))}).build());
        assertThat(Msp.organizationalUnits(client)).containsExactly("client");
        assertThat(org1().validate(client, MspRole.CLIENT, NOW).isValid()).isTrue();
        assertThat(org1().validate(client, MspRole.PEER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
    }

    @Test
    void aRepeatedNodeOuCountsTwiceAsInFabric() throws Exception {
        X509Certificate twice = issuedByOrg1(org1Name().addRDN(BCStyle.OU, "peer").addRDN(BCStyle.OU, "peer")
                .addRDN(BCStyle.CN, "twice.org1.example.com").build());
        assertThat(Msp.organizationalUnits(twice)).containsExactly("peer", "peer");
        assertThat(org1().validate(twice, MspRole.PEER, NOW).failure()).contains(MspFailure.WRONG_ROLE);
    }

    @Test
    void ouValuesAreComparedRawNotEscaped() throws Exception {
        FabricMSPConfig base = MspFolder.load(org(1).mspDir(), "Org1MSP");
        FabricMSPConfig config = base.toBuilder().setFabricNodeOus(base.getFabricNodeOus().toBuilder()
                .setPeerOuIdentifier(FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier("peers, east+1"))).build();
        X509Certificate peer = issuedByOrg1(FabricNames.subject("org1.example.com", "peers, east+1", "p.org1.example.com"));
        assertThat(Msp.organizationalUnits(peer)).containsExactly("peers, east+1");
        assertThat(Msp.of(config).validate(peer, MspRole.PEER, NOW).isValid()).isTrue();
    }

    @Test
    void nodeOuCertificateMustBeACaOfTheMsp() throws Exception {
        FabricMSPConfig base = MspFolder.load(org(1).mspDir(), "Org1MSP");
        ByteString foreignCa = ByteString.copyFrom(Pem.encode(ca(org(2)).certificate()));
        FabricMSPConfig foreign = base.toBuilder().setFabricNodeOus(base.getFabricNodeOus().toBuilder()
                .setPeerOuIdentifier(base.getFabricNodeOus().getPeerOuIdentifier().toBuilder().setCertificate(foreignCa))).build();
        assertThatThrownBy(() -> Msp.of(foreign)).isInstanceOf(MspConfigException.class)
                .hasMessageContaining("not a root or intermediate certificate of Org1MSP");
        ByteString leaf = ByteString.copyFrom(Pem.encode(identity(org(1).peerMspDir(), "Org1MSP").certificate()));
        FabricMSPConfig leafCertifier = base.toBuilder().setFabricNodeOus(base.getFabricNodeOus().toBuilder()
                .setClientOuIdentifier(base.getFabricNodeOus().getClientOuIdentifier().toBuilder().setCertificate(leaf))).build();
        assertThatThrownBy(() -> Msp.of(leafCertifier)).isInstanceOf(MspConfigException.class);
        // An intermediate of the MSP is accepted as a certifier.
        CertificateAuthority intermediate = ca(org(1)).issueIntermediate(
                FabricNames.subject("org1.example.com", null, "ica.org1.example.com"), KeyType.ECDSA_P256, Validity.days(NOW, 30));
        ByteString ica = ByteString.copyFrom(Pem.encode(intermediate.certificate()));
        FabricMSPConfig viaIca = base.toBuilder().addIntermediateCerts(ica).setFabricNodeOus(base.getFabricNodeOus().toBuilder()
                .setPeerOuIdentifier(base.getFabricNodeOus().getPeerOuIdentifier().toBuilder().setCertificate(ica))).build();
        assertThat(Msp.of(viaIca).nodeOusEnabled()).isTrue();
    }

    // ---- CRLs: bound to the CA certificate that signed them, consulted only for that CA's children ----

    private static FabricMSPConfig withCrls(FabricMSPConfig config, X509CRL... crls) {
        FabricMSPConfig.Builder out = config.toBuilder();
        for (X509CRL crl : crls) {
            out.addRevocationList(ByteString.copyFrom(Pem.encode(crl)));
        }
        return out.build();
    }

    @Test
    void intermediateCrlRevokesItsLeafAndRootCrlRevokesTheIntermediate() throws Exception {
        CertificateAuthority root = ca(org(1));
        Validity validity = Validity.days(NOW, 30);
        CertificateAuthority intermediate = root.issueIntermediate(
                FabricNames.subject("org1.example.com", null, "ica.org1.example.com"), KeyType.ECDSA_P256, validity);
        X509Certificate revoked = intermediate.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "peer", "peer8.org1.example.com"), KeyType.ECDSA_P256, validity)).certificate();
        X509Certificate kept = intermediate.issue(CertificateProfile.signing(
                FabricNames.subject("org1.example.com", "peer", "peer9.org1.example.com"), KeyType.ECDSA_P256, validity)).certificate();
        FabricMSPConfig withIca = MspFolder.load(org(1).mspDir(), "Org1MSP").toBuilder()
                .addIntermediateCerts(ByteString.copyFrom(Pem.encode(intermediate.certificate()))).build();
        Msp msp = Msp.of(withCrls(withIca, intermediate.issueCrl(List.of(revoked), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)))));
        assertThat(msp.validate(revoked, MspRole.PEER, NOW).failure()).contains(MspFailure.REVOKED);
        assertThat(msp.validate(kept, MspRole.PEER, NOW).isValid()).isTrue();
        // The root revoking the intermediate takes every leaf under it.
        Msp icaRevoked = Msp.of(withCrls(withIca,
                root.issueCrl(List.of(intermediate.certificate()), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)))));
        assertThat(icaRevoked.validate(kept, MspRole.PEER, NOW).failure()).contains(MspFailure.REVOKED);
    }

    @Test
    void crlOfASameNamedRootDoesNotRevokeTheOtherRootsCertificates() throws Exception {
        CertificateAuthority root1 = ca(org(1));
        X509Certificate peer = identity(org(1).peerMspDir(), "Org1MSP").certificate();
        // A re-keyed root: the same DN, a different key.
        CertificateAuthority root2 = CertificateAuthority.selfSigned(
                X500Name.getInstance(root1.certificate().getSubjectX500Principal().getEncoded()), KeyType.ECDSA_P256,
                Validity.days(NOW.minus(Duration.ofMinutes(5)), 30));
        assertThat(root2.certificate().getSubjectX500Principal()).isEqualTo(root1.certificate().getSubjectX500Principal());
        X509Certificate twin = withSerial(root2, peer.getSerialNumber(), peer.getSubjectX500Principal().getEncoded());
        X509CRL crl = root2.issueCrl(List.of(twin), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)));
        assertThat(crl.isRevoked(peer)).isTrue(); // by name and serial alone, the CRL matches the first root's peer
        FabricMSPConfig config = withCrls(MspFolder.load(org(1).mspDir(), "Org1MSP").toBuilder()
                .addRootCerts(ByteString.copyFrom(Pem.encode(root2.certificate()))).build(), crl);
        Msp msp = Msp.of(config);
        assertThat(msp.validate(twin, MspRole.MEMBER, NOW).failure()).contains(MspFailure.REVOKED);
        assertThat(msp.validate(peer, MspRole.PEER, NOW).isValid()).isTrue();
    }

    /** An end-entity certificate from the CA with a chosen serial number, which {@code CertificateAuthority.issue} draws at random. */
    private static X509Certificate withSerial(CertificateAuthority ca, BigInteger serial, byte[] subject) throws Exception {
        KeyPair pair = KeyPairs.generate(KeyType.ECDSA_P256);
        var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                serial, Date.from(NOW.minus(Duration.ofMinutes(1))), Date.from(NOW.plus(Duration.ofDays(1))),
                X500Name.getInstance(subject), pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
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
