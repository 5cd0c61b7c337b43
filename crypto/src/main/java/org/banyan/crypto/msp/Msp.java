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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.Assert;
import org.banyan.crypto.x509.Pem;
import org.banyan.crypto.x509.PemException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
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
    private final List<X509CRL> crls;
    private final Set<ByteBuffer> adminDer;
    private final Map<MspRole, OuRule> nodeOus;
    private final BoundedCache<ByteBuffer, Examined> examined = new BoundedCache<>(CACHED_CERTIFICATES_MAX);

    /** A NodeOU: the OU value and, optionally, the CA certificate (DER) that must be in the chain. */
    private record OuRule(String organizationalUnit, Optional<ByteBuffer> certifierDer) {}

    /** Time-independent result for one certificate. */
    private record Examined(MspVerdict verdict, Instant notBefore, Instant notAfter, Optional<MspRole> nodeRole,
                            boolean listedAdmin) {}

    private Msp(String id, List<X509Certificate> roots, List<X509Certificate> intermediates, List<X509CRL> crls,
                Set<ByteBuffer> adminDer, Map<MspRole, OuRule> nodeOus) {
        this.id = id;
        this.roots = roots;
        this.intermediates = intermediates;
        this.crls = crls;
        this.adminDer = adminDer;
        this.nodeOus = nodeOus;
    }

    /**
     * Builds the MSP, checking the definition as Fabric's {@code setupCAs}/{@code setupCRLs} do: roots are
     * CA certificates, every intermediate chains to a root, every CRL is signed by one of the MSP's CAs.
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
        Msp partial = new Msp(config.getName(), roots, intermediates, List.of(), Set.of(), Map.of());
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
        List<X509CRL> crls = new ArrayList<>();
        for (ByteString pem : config.getRevocationListList()) {
            crls.add(checkedCrl(pem.toByteArray(), concat(roots, intermediates)));
        }
        Set<ByteBuffer> admins = new HashSet<>();
        for (X509Certificate admin : certificates(config.getAdminsList())) {
            admins.add(der(admin));
        }
        return new Msp(config.getName(), roots, intermediates, List.copyOf(crls), Set.copyOf(admins), nodeOus(config));
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
     * @param now the instant to check validity windows at, from the caller (block time), never the clock
     */
    public MspVerdict validate(X509Certificate certificate, MspRole role, Instant now) {
        Examined result = examined.get(der(certificate), key -> examine(certificate));
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
        for (X509Certificate link : chain.get()) {
            for (X509CRL crl : crls) {
                if (crl.getIssuerX500Principal().equals(link.getIssuerX500Principal()) && crl.isRevoked(link)) {
                    return failed(MspFailure.REVOKED, link.getSubjectX500Principal() + " is revoked");
                }
            }
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

    private List<MspRole> nodeRoles(X509Certificate certificate, List<X509Certificate> chain) {
        Set<String> ous = organizationalUnits(certificate);
        Set<ByteBuffer> chainDer = new HashSet<>();
        chain.forEach(link -> chainDer.add(der(link)));
        List<MspRole> roles = new ArrayList<>();
        for (Map.Entry<MspRole, OuRule> rule : nodeOus.entrySet()) {
            boolean certified = rule.getValue().certifierDer().map(chainDer::contains).orElse(true);
            if (certified && ous.contains(rule.getValue().organizationalUnit())) {
                roles.add(rule.getKey());
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

    private static X509CRL checkedCrl(byte[] pem, List<X509Certificate> cas) {
        X509CRL crl;
        try {
            crl = Pem.decodeCrl(pem);
        } catch (PemException e) {
            throw new MspConfigException("revocation list entry is not a CRL", e);
        }
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return crl;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // another CA with the same name may have signed it
                }
            }
        }
        throw new MspConfigException("CRL of " + crl.getIssuerX500Principal() + " is not signed by a CA of the MSP");
    }

    private static Map<MspRole, OuRule> nodeOus(FabricMSPConfig config) {
        Map<MspRole, OuRule> rules = new EnumMap<>(MspRole.class);
        if (!config.hasFabricNodeOus() || !config.getFabricNodeOus().getEnable()) {
            return Map.of();
        }
        var ous = config.getFabricNodeOus();
        putRule(rules, MspRole.CLIENT, ous.hasClientOuIdentifier(), ous.getClientOuIdentifier());
        putRule(rules, MspRole.PEER, ous.hasPeerOuIdentifier(), ous.getPeerOuIdentifier());
        putRule(rules, MspRole.ADMIN, ous.hasAdminOuIdentifier(), ous.getAdminOuIdentifier());
        putRule(rules, MspRole.ORDERER, ous.hasOrdererOuIdentifier(), ous.getOrdererOuIdentifier());
        return Map.copyOf(rules);
    }

    private static void putRule(Map<MspRole, OuRule> rules, MspRole role, boolean present, FabricOUIdentifier id) {
        if (!present || id.getOrganizationalUnitIdentifier().isEmpty()) {
            return;
        }
        Optional<ByteBuffer> certifier = id.getCertificate().isEmpty() ? Optional.empty()
                : Optional.of(der(decode(id.getCertificate().toByteArray())));
        rules.put(role, new OuRule(id.getOrganizationalUnitIdentifier(), certifier));
    }

    /** The OU values of the subject name. */
    static Set<String> organizationalUnits(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        Set<String> out = new HashSet<>();
        for (RDN rdn : subject.getRDNs(BCStyle.OU)) {
            out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return out;
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
