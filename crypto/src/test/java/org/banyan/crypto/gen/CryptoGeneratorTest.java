package org.banyan.crypto.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoGeneratorTest {
    @TempDir
    Path out;

    private static List<String> identityFiles(String prefix, String cn, String tlsRole) {
        String domain = "org1.example.com";
        return List.of(
                prefix + "/msp/cacerts/ca." + domain + "-cert.pem",
                prefix + "/msp/config.yaml",
                prefix + "/msp/keystore/priv_sk",
                prefix + "/msp/signcerts/" + cn + "-cert.pem",
                prefix + "/msp/tlscacerts/tlsca." + domain + "-cert.pem",
                prefix + "/tls/ca.crt",
                prefix + "/tls/" + tlsRole + ".crt",
                prefix + "/tls/" + tlsRole + ".key");
    }

    @Test
    void writesExactlyFabricsLayout() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(out, 1, KeyType.ECDSA_P256, 1);
        String base = "peerOrganizations/org1.example.com";
        List<String> expected = new ArrayList<>(List.of(
                base + "/ca/ca.org1.example.com-cert.pem", base + "/ca/priv_sk",
                base + "/tlsca/tlsca.org1.example.com-cert.pem", base + "/tlsca/priv_sk",
                base + "/msp/cacerts/ca.org1.example.com-cert.pem",
                base + "/msp/tlscacerts/tlsca.org1.example.com-cert.pem",
                base + "/msp/config.yaml"));
        expected.addAll(identityFiles(base + "/peers/peer0.org1.example.com", "peer0.org1.example.com", "server"));
        expected.addAll(identityFiles(base + "/orderers/orderer0.org1.example.com", "orderer0.org1.example.com", "server"));
        expected.addAll(identityFiles(base + "/users/Admin@org1.example.com", "Admin@org1.example.com", "client"));
        expected.addAll(identityFiles(base + "/users/User1@org1.example.com", "User1@org1.example.com", "client"));
        assertThat(listFiles(out)).containsExactlyElementsOf(new TreeSet<>(expected));
        GeneratedOrg org = network.orgs().get(0);
        assertThat(org.mspId()).isEqualTo("Org1MSP");
        assertThat(org.domain()).isEqualTo("org1.example.com");
        assertThat(org.peerMspDir()).isEqualTo(out.resolve(base + "/peers/peer0.org1.example.com/msp"));
        for (String file : expected) {
            if (file.endsWith("priv_sk") || file.endsWith(".key")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(file)))).isEqualTo("rw-------");
            }
        }
        assertThat(Files.readString(out.resolve(base + "/msp/config.yaml"))).isEqualTo("""
                NodeOUs:
                  Enable: true
                  ClientOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: client
                  PeerOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: peer
                  AdminOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: admin
                  OrdererOUIdentifier:
                    Certificate: cacerts/ca.org1.example.com-cert.pem
                    OrganizationalUnitIdentifier: orderer
                """);
        X509Certificate peer = Pem.decodeCertificate(Files.readAllBytes(org.peerMspDir().resolve("signcerts/peer0.org1.example.com-cert.pem")));
        assertThat(peer.getSubjectX500Principal().getName())
                .isEqualTo("CN=peer0.org1.example.com,OU=peer,O=org1.example.com,L=San Francisco,ST=California,C=US");
        X509Certificate tls = Pem.decodeCertificate(Files.readAllBytes(org.peerTlsDir().resolve("server.crt")));
        assertThat(tls.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(tls.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList())
                .contains("peer0.org1.example.com", "localhost", "127.0.0.1");
    }

    @Test
    void namedOrganisationsGetTheirMspIdsAndDomains() {
        GeneratedNetwork network = CryptoGenerator.generate(out, List.of("CentralBank", "BankA"),
                KeyType.ECDSA_P256, 1);
        assertThat(network.orgs()).extracting(GeneratedOrg::mspId).containsExactly("CentralBankMSP", "BankAMSP");
        assertThat(network.orgs().getFirst().domain()).isEqualTo("centralbank.example.com");
        assertThat(out.resolve("peerOrganizations/banka.example.com/users/Admin@banka.example.com/msp")).isDirectory();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CryptoGenerator.generate(out,
                List.of("Bank-A"), KeyType.ECDSA_P256, 1)).hasMessageContaining("'Bank-A' must be a letter");
        assertThat(CryptoGenerator.defaultNames(2)).containsExactly("Org1", "Org2");
    }

    @Test
    void ed25519NetworkValidatesAndOpensslAcceptsEveryCertificate() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(out, 2, KeyType.ED25519, 1);
        MspRegistry registry = MspRegistry.of(network.orgs().stream().map(o -> MspFolder.load(o.mspDir(), o.mspId())).toList());
        for (GeneratedOrg org : network.orgs()) {
            LocalSigningIdentity peer = LocalSigningIdentity.load(org.peerMspDir(), org.mspId());
            assertThat(peer.certificate().getPublicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
            assertThat(registry.validate(peer.serialize(), MspRole.PEER, java.time.Instant.now()).isValid()).isTrue();
            byte[] message = "hello".getBytes();
            assertThat(registry.verify(peer.serialize(), message, peer.sign(message)).isValid()).isTrue();
        }
        boolean haveOpenssl = Stream.of("/usr/bin/openssl", "/usr/local/bin/openssl").anyMatch(p -> Files.isExecutable(Path.of(p)));
        org.junit.jupiter.api.Assumptions.assumeTrue(haveOpenssl, "openssl not installed");
        for (GeneratedOrg org : network.orgs()) {
            Path ca = org.orgDir().resolve("ca/ca." + org.domain() + "-cert.pem");
            Path tlsCa = org.orgDir().resolve("tlsca/tlsca." + org.domain() + "-cert.pem");
            for (String file : listFiles(org.orgDir())) {
                boolean isCert = file.endsWith("-cert.pem") || file.endsWith(".crt");
                if (!isCert) {
                    continue;
                }
                Path cert = org.orgDir().resolve(file);
                boolean tls = file.startsWith("tlsca/") || file.contains("/tls/") || file.contains("tlscacerts/");
                assertThat(openssl(tls ? tlsCa : ca, cert)).as(file).endsWith(": OK");
            }
        }
    }

    private static String openssl(Path caFile, Path cert) throws Exception {
        Process process = new ProcessBuilder("openssl", "verify", "-CAfile", caFile.toString(), cert.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return output;
    }

    private static TreeSet<String> listFiles(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
