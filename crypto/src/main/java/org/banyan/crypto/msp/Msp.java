package org.banyan.crypto.msp;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.Assert;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.PemException;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1NumericString;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

/**
 * A validating Fabric X.509 MSP built from a {@code FabricMSPConfig}. Thread-safe and immutable apart from a
 * bounded cache of time-independent per-certificate results (chain, revocation, OUs); validity windows are
 * always checked against the caller's {@code now}, never the clock (determinism: every node gets the same
 * verdict for the same block).
 */
public final class Msp {
    /** A chain longer than this (root included) is refused. */
    public static final int CHAIN_DEPTH_MAX = 8;

    /** Per-certificate results kept at most. */
    public static final int CACHED_CERTIFICATES_MAX = 10_000;

    private final String id;
    private final List<X509Certificate> roots;
    private final List<X509Certificate> intermediates;
    /** CRLs keyed by the DER of each MSP CA certificate whose key verifies them (Fabric: CRL AKI = CA SKI). */
    private final Map<ByteBuffer, List<X509CRL>> crlsByIssuerDer;
    private final Set<ByteBuffer> adminDer;
    private final Map<MspRole, OuRule> nodeOus;
    // Keyed by the certificate itself: Certificate.hashCode caches the hash of the encoding and equals compares
    // encodings without copying, while der() copies and re-hashes the whole encoding on every call.
    private final BoundedCache<X509Certificate, Examined> examined = new BoundedCache<>(CACHED_CERTIFICATES_MAX);

    /** A NodeOU: the OU value and, optionally, the CA certificate (DER) that must be in the chain. */
    private record OuRule(String organizationalUnit, Optional<ByteBuffer> certifierDer) {}

    /** Time-independent result for one certificate. */
    private record Examined(MspVerdict verdict, Instant notBefore, Instant notAfter, Optional<MspRole> nodeRole,
                            boolean listedAdmin) {}

    private Msp(String id, List<X509Certificate> roots, List<X509Certificate> intermediates,
                Map<ByteBuffer, List<X509CRL>> crlsByIssuerDer, Set<ByteBuffer> adminDer, Map<MspRole, OuRule> nodeOus) {
        this.id = id;
        this.roots = roots;
        this.intermediates = intermediates;
        this.crlsByIssuerDer = crlsByIssuerDer;
        this.adminDer = adminDer;
        this.nodeOus = nodeOus;
    }

    /**
     * Builds the MSP, checking the definition as Fabric's {@code setupCAs}/{@code setupCRLs} do: roots are
     * CA certificates, every intermediate chains to a root, every CRL is signed by one of the MSP's CAs, and
     * every NodeOU certificate is one of the MSP's roots or intermediates.
     *
     * @throws MspConfigException for an unusable definition
     */
    public static Msp of(FabricMSPConfig config) {
        if (config.getName().isEmpty()) {
            throw new MspConfigException("MSP config has no name");
        }
        List<X509Certificate> roots = certificates(config.getRootCertsList());
        if (roots.isEmpty()) {
            throw new MspConfigException(config.getName() + " has no root certificates");
        }
        List<X509Certificate> intermediates = certificates(config.getIntermediateCertsList());
        Msp partial = new Msp(config.getName(), roots, intermediates, Map.of(), Set.of(), Map.of());
        for (X509Certificate ca : concat(roots, intermediates)) {
            if (ca.getBasicConstraints() < 0) {
                throw new MspConfigException(ca.getSubjectX500Principal() + " is not a CA certificate");
            }
        }
        for (X509Certificate intermediate : intermediates) {
            if (partial.chainOf(intermediate).isEmpty()) {
                throw new MspConfigException("intermediate " + intermediate.getSubjectX500Principal() + " does not chain");
            }
        }
        Map<ByteBuffer, List<X509CRL>> crls = new HashMap<>();
        for (ByteString pem : config.getRevocationListList()) {
            X509CRL crl = decodeCrl(pem.toByteArray());
            List<X509Certificate> signers = signersOf(crl, concat(roots, intermediates));
            if (signers.isEmpty()) {
                throw new MspConfigException("CRL of " + crl.getIssuerX500Principal() + " is not signed by a CA of " + config.getName());
            }
            signers.forEach(ca -> crls.computeIfAbsent(der(ca), key -> new ArrayList<>()).add(crl));
        }
        Map<ByteBuffer, List<X509CRL>> crlsByIssuerDer = new HashMap<>();
        crls.forEach((caDer, list) -> crlsByIssuerDer.put(caDer, List.copyOf(list)));
        Set<ByteBuffer> admins = new HashSet<>();
        for (X509Certificate admin : certificates(config.getAdminsList())) {
            admins.add(der(admin));
        }
        return new Msp(config.getName(), roots, intermediates, Map.copyOf(crlsByIssuerDer), Set.copyOf(admins),
                nodeOus(config, concat(roots, intermediates)));
    }

    /** The MSP id, e.g. {@code Org1MSP}. */
    public String id() {
        return id;
    }

    /** True when the definition classifies identities by NodeOUs. */
    public boolean nodeOusEnabled() {
        return !nodeOus.isEmpty();
    }

    /**
     * Validates a certificate as an identity of this MSP holding the role at the given instant.
     *
     * @param certificate the identity's certificate
     * @param role the required role; MEMBER accepts any valid identity
     * @param now the instant to check validity windows at, from the caller, never the clock
     */
    public MspVerdict validate(X509Certificate certificate, MspRole role, Instant now) {
        return validate(certificate, role, ValidityTime.at(now));
    }

    /** As {@link #validate(X509Certificate, MspRole, Instant)}, at the instant {@code time} gives for the certificate. */
    public MspVerdict validate(X509Certificate certificate, MspRole role, ValidityTime time) {
        Instant now = time.instantFor(certificate);
        Examined result = examined.get(certificate, this::examine);
        if (!result.verdict().isValid()) {
            return result.verdict();
        }
        if (now.isBefore(result.notBefore())) {
            return MspVerdict.rejected(MspFailure.NOT_YET_VALID, "chain valid from " + result.notBefore());
        }
        if (now.isAfter(result.notAfter())) {
            return MspVerdict.rejected(MspFailure.EXPIRED, "chain expired at " + result.notAfter());
        }
        boolean holds = switch (role) {
            case MEMBER -> true;
            case ADMIN -> result.listedAdmin() || result.nodeRole().equals(Optional.of(MspRole.ADMIN));
            case CLIENT, PEER, ORDERER -> result.nodeRole().equals(Optional.of(role));
        };
        return holds ? MspVerdict.valid()
                : MspVerdict.rejected(MspFailure.WRONG_ROLE, "identity is " + result.nodeRole().map(Enum::name).orElse("unclassified") + ", not " + role);
    }

    private Examined examine(X509Certificate certificate) {
        Optional<List<X509Certificate>> chain = certificate.getBasicConstraints() >= 0
                ? Optional.empty() : chainOf(certificate);
        if (certificate.getBasicConstraints() >= 0) {
            // Fabric: "A CA certificate cannot be used directly by this MSP".
            return failed(MspFailure.BAD_CERTIFICATE, "a CA certificate cannot be an identity");
        }
        if (chain.isEmpty()) {
            return failed(MspFailure.NOT_CHAINED, "no chain to a root of " + id);
        }
        Instant notBefore = Instant.MIN;
        Instant notAfter = Instant.MAX;
        for (X509Certificate link : chain.get()) {
            notBefore = max(notBefore, link.getNotBefore().toInstant());
            notAfter = min(notAfter, link.getNotAfter().toInstant());
        }
        Optional<X509Certificate> revoked = firstRevoked(chain.get());
        if (revoked.isPresent()) {
            return failed(MspFailure.REVOKED, revoked.get().getSubjectX500Principal() + " is revoked");
        }
        List<MspRole> roles = nodeRoles(certificate, chain.get());
        if (nodeOusEnabled() && roles.size() != 1) {
            // Fabric 1.4.3+: under NodeOUs an identity must be exactly one of client, peer, admin, orderer.
            return failed(MspFailure.WRONG_ROLE, "NodeOUs classify the identity as " + roles);
        }
        Optional<MspRole> nodeRole = roles.isEmpty() ? Optional.empty() : Optional.of(roles.get(0));
        return new Examined(MspVerdict.valid(), notBefore, notAfter, nodeRole, adminDer.contains(der(certificate)));
    }

    private static Examined failed(MspFailure failure, String detail) {
        return new Examined(MspVerdict.rejected(failure, detail), Instant.MIN, Instant.MAX, Optional.empty(), false);
    }

    /**
     * The first certificate of the chain (leaf first, root excluded) revoked by a CRL of the CA that issued it
     * in this chain. Fabric's {@code validateCertAgainstChain} takes only CRLs whose AKI is the SKI of
     * {@code chain[1]} and checks their signature with that certificate; binding CRLs to CA certificates at
     * build time does the same, so a same-named CA (a re-keyed root, a same-named intermediate) never revokes
     * another CA's certificates.
     */
    private Optional<X509Certificate> firstRevoked(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate link = chain.get(i);
            for (X509CRL crl : crlsByIssuerDer.getOrDefault(der(chain.get(i + 1)), List.of())) {
                if (crl.isRevoked(link)) {
                    return Optional.of(link);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One role per OU attribute of the subject that names a NodeOU, in subject order, duplicates kept: Fabric
     * counts every OU value, so {@code OU=peer, OU=peer} is two classifications, not one.
     */
    private List<MspRole> nodeRoles(X509Certificate certificate, List<X509Certificate> chain) {
        Set<ByteBuffer> chainDer = new HashSet<>();
        chain.forEach(link -> chainDer.add(der(link)));
        List<MspRole> roles = new ArrayList<>();
        for (String ou : organizationalUnits(certificate)) {
            for (Map.Entry<MspRole, OuRule> rule : nodeOus.entrySet()) {
                boolean certified = rule.getValue().certifierDer().map(chainDer::contains).orElse(true);
                if (certified && ou.equals(rule.getValue().organizationalUnit())) {
                    roles.add(rule.getKey());
                }
            }
        }
        return roles;
    }

    /** The chain from the certificate (first) to a root (last), or empty. */
    Optional<List<X509Certificate>> chainOf(X509Certificate certificate) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = certificate;
        chain.add(current);
        while (chain.size() <= CHAIN_DEPTH_MAX) {
            Optional<X509Certificate> root = issuerAmong(current, roots);
            if (root.isPresent()) {
                if (!root.get().equals(current)) {
                    chain.add(root.get());
                }
                return Optional.of(List.copyOf(chain));
            }
            Optional<X509Certificate> next = issuerAmong(current, intermediates);
            if (next.isEmpty() || chain.contains(next.get())) {
                return Optional.empty();
            }
            current = next.get();
            chain.add(current);
        }
        return Optional.empty();
    }

    private static Optional<X509Certificate> issuerAmong(X509Certificate certificate, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()) && signedBy(certificate, ca)) {
                return Optional.of(ca);
            }
        }
        return Optional.empty();
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static X509CRL decodeCrl(byte[] pem) {
        try {
            return Pem.decodeCrl(pem);
        } catch (PemException e) {
            throw new MspConfigException("revocation list entry is not a CRL", e);
        }
    }

    /** The CA certificates named as the CRL's issuer whose key verifies it (more than one if they share a key). */
    private static List<X509Certificate> signersOf(X509CRL crl, List<X509Certificate> cas) {
        List<X509Certificate> signers = new ArrayList<>();
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal()) && crlSignedBy(crl, ca)) {
                signers.add(ca);
            }
        }
        return signers;
    }

    private static boolean crlSignedBy(X509CRL crl, X509Certificate ca) {
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // another CA with the same name may have signed it
        }
    }

    private static Map<MspRole, OuRule> nodeOus(FabricMSPConfig config, List<X509Certificate> cas) {
        Map<MspRole, OuRule> rules = new EnumMap<>(MspRole.class);
        if (!config.hasFabricNodeOus() || !config.getFabricNodeOus().getEnable()) {
            return Map.of();
        }
        Set<ByteBuffer> caDer = new HashSet<>();
        cas.forEach(ca -> caDer.add(der(ca)));
        var ous = config.getFabricNodeOus();
        putRule(rules, config.getName(), caDer, MspRole.CLIENT, ous.hasClientOuIdentifier(), ous.getClientOuIdentifier());
        putRule(rules, config.getName(), caDer, MspRole.PEER, ous.hasPeerOuIdentifier(), ous.getPeerOuIdentifier());
        putRule(rules, config.getName(), caDer, MspRole.ADMIN, ous.hasAdminOuIdentifier(), ous.getAdminOuIdentifier());
        putRule(rules, config.getName(), caDer, MspRole.ORDERER, ous.hasOrdererOuIdentifier(), ous.getOrdererOuIdentifier());
        return Map.copyOf(rules);
    }

    private static void putRule(Map<MspRole, OuRule> rules, String mspId, Set<ByteBuffer> caDer, MspRole role,
                                boolean present, FabricOUIdentifier id) {
        if (!present || id.getOrganizationalUnitIdentifier().isEmpty()) {
            return;
        }
        Optional<ByteBuffer> certifier = Optional.empty();
        if (!id.getCertificate().isEmpty()) {
            X509Certificate certificate = decode(id.getCertificate().toByteArray());
            // Fabric's getCertifiersIdentifier: "Certificate [...] not in root or intermediate certs" rejects the config.
            if (!caDer.contains(der(certificate))) {
                throw new MspConfigException("NodeOU " + role + " certificate " + certificate.getSubjectX500Principal()
                        + " is not a root or intermediate certificate of " + mspId);
            }
            certifier = Optional.of(der(certificate));
        }
        rules.put(role, new OuRule(id.getOrganizationalUnitIdentifier(), certifier));
    }

    /**
     * Every OU value of the subject name, in subject order, duplicates kept, as Go's {@code pkix.Name} flattens
     * them: each attribute of a multi-valued RDN counts, non-OU attributes (a CN beside an OU) never do, and the
     * value is the raw string, not RFC 4514 escaped. An OU value of a non-string type is skipped here; Go's
     * x509 parser (1.17+) refuses such a certificate outright.
     */
    static List<String> organizationalUnits(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> out = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(BCStyle.OU) && isGoString(attribute.getValue())) {
                    out.add(((ASN1String) attribute.getValue()).getString());
                }
            }
        }
        return List.copyOf(out);
    }

    /** The string types Go's x509 name parser accepts (a BIT STRING is an ASN1String to BouncyCastle, not to Go). */
    private static boolean isGoString(ASN1Encodable value) {
        return value instanceof ASN1PrintableString || value instanceof ASN1UTF8String || value instanceof ASN1IA5String
                || value instanceof ASN1T61String || value instanceof ASN1NumericString || value instanceof ASN1BMPString;
    }

    private static List<X509Certificate> certificates(List<ByteString> pems) {
        List<X509Certificate> out = new ArrayList<>();
        for (ByteString pem : pems) {
            out.add(decode(pem.toByteArray()));
        }
        return List.copyOf(out);
    }

    private static X509Certificate decode(byte[] pem) {
        try {
            return Pem.decodeCertificate(pem);
        } catch (PemException e) {
            throw new MspConfigException("MSP certificate is not one PEM certificate", e);
        }
    }

    static ByteBuffer der(X509Certificate certificate) {
        try {
            return ByteBuffer.wrap(certificate.getEncoded()).asReadOnlyBuffer();
        } catch (CertificateEncodingException e) {
            throw new AssertionError("a parsed certificate re-encodes", e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        Assert.that(a != null && b != null, "null instant");
        return a.isBefore(b) ? a : b;
    }
}
