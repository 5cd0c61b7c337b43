package org.banyan.crypto.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.banyan.crypto.Assert;
import org.banyan.crypto.msp.NodeOus;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.CertificateAuthority;
import org.banyan.crypto.x509.CertificateProfile;
import org.banyan.crypto.x509.FabricNames;
import org.banyan.crypto.x509.IssuedCertificate;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.Validity;

/**
 * Banyan's {@code cryptogen}: writes CAs, MSP folders and TLS material for a test network in Fabric's layout.
 * Every Banyan org runs one node that is both peer and orderer, so one folder
 * {@code peerOrganizations/orgN.example.com} holds {@code peers/peer0...} and {@code orderers/orderer0...}.
 *
 * <p>Signing (MSP) keys use the requested {@link KeyType}; TLS keys and the TLS CA are always ECDSA P-256 so
 * that standard TLS stacks (JDK, gRPC/Netty, browsers, curl) accept them — Ed25519 TLS certificates are not
 * widely supported. Private keys are written with mode 0600 as PKCS#8 {@code PRIVATE KEY} PEM.
 */
public final class CryptoGenerator {
    /** Certificates are valid ten years, as cryptogen. */
    public static final long VALIDITY_DAYS = 3650;

    /** Organisations at most in one run. */
    public static final int ORGS_MAX = 100;

    /** Users per organisation at most. */
    public static final int USERS_PER_ORG_MAX = 100;

    private CryptoGenerator() {}

    /**
     * Generates the crypto material.
     *
     * @param outDir output root, created if missing; existing org folders are overwritten file by file
     * @param orgCount 1..{@value #ORGS_MAX}
     * @param keyType key type of CAs and signing identities
     * @param usersPerOrg number of {@code UserN} client identities, 0..{@value #USERS_PER_ORG_MAX} (the CLI uses 1)
     * @throws UncheckedIOException when writing fails
     */
    public static GeneratedNetwork generate(Path outDir, int orgCount, KeyType keyType, int usersPerOrg) {
        if (orgCount < 1 || orgCount > ORGS_MAX) {
            throw new IllegalArgumentException("orgCount must be 1.." + ORGS_MAX + ": " + orgCount);
        }
        return generate(outDir, defaultNames(orgCount), keyType, usersPerOrg);
    }

    /** {@code Org1}, ..., {@code OrgN}: MSP IDs {@code Org1MSP}, ..., domains {@code org1.example.com}, ... */
    public static List<String> defaultNames(int orgCount) {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= orgCount; n++) {
            names.add("Org" + n);
        }
        return List.copyOf(names);
    }

    /**
     * As {@link #generate(Path, int, KeyType, int)}, with organisations named: {@code CentralBank} gets MSP ID
     * {@code CentralBankMSP} and domain {@code centralbank.example.com}.
     *
     * @param orgNames 1..{@value #ORGS_MAX} names, each a letter then up to 31 letters or digits, distinct ignoring
     *     case (the domain is lower case)
     */
    public static GeneratedNetwork generate(Path outDir, List<String> orgNames, KeyType keyType, int usersPerOrg) {
        checkNames(orgNames);
        if (usersPerOrg < 0 || usersPerOrg > USERS_PER_ORG_MAX) {
            throw new IllegalArgumentException("usersPerOrg must be 0.." + USERS_PER_ORG_MAX + ": " + usersPerOrg);
        }
        Validity validity = Validity.days(Instant.now(), VALIDITY_DAYS);
        List<GeneratedOrg> orgs = new ArrayList<>();
        for (String name : orgNames) {
            orgs.add(new OrgWriter(outDir, name, keyType, validity).write(usersPerOrg));
        }
        return new GeneratedNetwork(outDir, orgs);
    }

    /**
     * Refuses names that would not make an MSP ID and a DNS label, or that repeat.
     *
     * @throws IllegalArgumentException naming the first bad name
     */
    public static void checkNames(List<String> orgNames) {
        if (orgNames.isEmpty() || orgNames.size() > ORGS_MAX) {
            throw new IllegalArgumentException("1 to " + ORGS_MAX + " organisations, not " + orgNames.size());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : orgNames) {
            if (name == null || !name.matches("[A-Za-z][A-Za-z0-9]{0,31}")) {
                throw new IllegalArgumentException("organisation name '" + name + "' must be a letter then up to 31"
                        + " letters or digits (it becomes <name>MSP and <name>.example.com)");
            }
            if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("organisation name '" + name + "' is given twice");
            }
        }
    }

    /** Writes one organisation. */
    private static final class OrgWriter {
        private final String domain;
        private final String mspId;
        private final Path orgDir;
        private final KeyType keyType;
        private final Validity validity;
        private final CertificateAuthority ca;
        private final CertificateAuthority tlsCa;
        private final String caFile;
        private final String tlsCaFile;

        OrgWriter(Path outDir, String name, KeyType keyType, Validity validity) {
            this.domain = name.toLowerCase(java.util.Locale.ROOT) + ".example.com";
            this.mspId = name + "MSP";
            this.orgDir = outDir.resolve("peerOrganizations").resolve(domain);
            this.keyType = keyType;
            this.validity = validity;
            this.ca = CertificateAuthority.selfSigned(FabricNames.subject(domain, null, "ca." + domain), keyType, validity);
            this.tlsCa = CertificateAuthority.selfSigned(
                    FabricNames.subject(domain, null, "tlsca." + domain), KeyType.ECDSA_P256, validity);
            this.caFile = "ca." + domain + "-cert.pem";
            this.tlsCaFile = "tlsca." + domain + "-cert.pem";
        }

        GeneratedOrg write(int usersPerOrg) {
            writeCa(orgDir.resolve("ca"), caFile, ca);
            writeCa(orgDir.resolve("tlsca"), tlsCaFile, tlsCa);
            Path mspDir = orgDir.resolve("msp");
            writeVerifyingMsp(mspDir);
            String peer = "peer0." + domain;
            String orderer = "orderer0." + domain;
            Path peerDir = orgDir.resolve("peers").resolve(peer);
            Path ordererDir = orgDir.resolve("orderers").resolve(orderer);
            writeNode(peerDir, peer, "peer", "server");
            writeNode(ordererDir, orderer, "orderer", "server");
            Path adminDir = orgDir.resolve("users").resolve("Admin@" + domain);
            writeNode(adminDir, "Admin@" + domain, "admin", "client");
            List<Path> userMsps = new ArrayList<>();
            List<Path> userTls = new ArrayList<>();
            for (int u = 1; u <= usersPerOrg; u++) {
                Path userDir = orgDir.resolve("users").resolve("User" + u + "@" + domain);
                writeNode(userDir, "User" + u + "@" + domain, "client", "client");
                userMsps.add(userDir.resolve("msp"));
                userTls.add(userDir.resolve("tls"));
            }
            return new GeneratedOrg(mspId, domain, orgDir, mspDir, peerDir.resolve("msp"), peerDir.resolve("tls"),
                    ordererDir.resolve("msp"), ordererDir.resolve("tls"), adminDir.resolve("msp"), adminDir.resolve("tls"),
                    userMsps, userTls);
        }

        private void writeCa(Path dir, String certFile, CertificateAuthority authority) {
            writeCertificate(dir.resolve(certFile), authority.certificate());
            writeKey(dir.resolve("priv_sk"), authority.privateKey());
        }

        private void writeVerifyingMsp(Path mspDir) {
            writeCertificate(mspDir.resolve("cacerts").resolve(caFile), ca.certificate());
            writeCertificate(mspDir.resolve("tlscacerts").resolve(tlsCaFile), tlsCa.certificate());
            write(mspDir.resolve("config.yaml"), NodeOus.standard("cacerts/" + caFile).encode().getBytes(), false);
        }

        /** An identity folder: {@code msp/} signed by the CA with the OU, {@code tls/} by the TLS CA. */
        private void writeNode(Path dir, String commonName, String ou, String tlsRole) {
            Path msp = dir.resolve("msp");
            writeVerifyingMsp(msp);
            IssuedCertificate signing = ca.issue(CertificateProfile.signing(FabricNames.subject(domain, ou, commonName), keyType, validity));
            writeCertificate(msp.resolve("signcerts").resolve(commonName + "-cert.pem"), signing.certificate());
            writeKey(msp.resolve("keystore").resolve("priv_sk"), signing.privateKey());
            // Fabric's TLS subjects carry no OU; SANs are the CN (and short host name) plus localhost, 127.0.0.1.
            List<String> hosts = commonName.contains("@") ? List.of() : List.of(commonName, commonName.substring(0, commonName.indexOf('.')));
            IssuedCertificate tls = tlsCa.issue(CertificateProfile.tls(
                    FabricNames.subject(domain, null, commonName), KeyType.ECDSA_P256, validity, hosts));
            Path tlsDir = dir.resolve("tls");
            writeCertificate(tlsDir.resolve("ca.crt"), tlsCa.certificate());
            writeCertificate(tlsDir.resolve(tlsRole + ".crt"), tls.certificate());
            writeKey(tlsDir.resolve(tlsRole + ".key"), tls.privateKey());
        }

        private static void writeCertificate(Path file, X509Certificate certificate) {
            write(file, Pem.encode(certificate), false);
        }

        private static void writeKey(Path file, PrivateKey key) {
            write(file, Pem.encode(key), true);
        }

        private static void write(Path file, byte[] bytes, boolean secret) {
            try {
                Files.createDirectories(file.getParent());
                Files.deleteIfExists(file);
                if (secret) {
                    // Create with 0600 before writing so the key is never readable by others, even briefly.
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                Files.write(file, bytes);
                Assert.that(Files.size(file) == bytes.length, "short write to %s", file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
