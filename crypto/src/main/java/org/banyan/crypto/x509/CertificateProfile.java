package org.banyan.crypto.x509;

import java.util.List;
import java.util.Objects;
import org.banyan.crypto.sign.KeyType;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What an end-entity certificate should say.
 *
 * @param subject the subject name (see {@link FabricNames})
 * @param keyType the type of the new key pair
 * @param validity the validity window
 * @param tls true for a TLS certificate: EKU serverAuth and clientAuth, keyEncipherment allowed
 * @param dnsNames subjectAltName DNS entries, for TLS usually the CN and {@code localhost}
 * @param ipAddresses subjectAltName IP entries, for TLS usually {@code 127.0.0.1}
 */
public record CertificateProfile(X500Name subject, KeyType keyType, Validity validity, boolean tls,
                                 List<String> dnsNames, List<String> ipAddresses) {
    /** Copies the lists; all parts required. */
    public CertificateProfile {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(validity, "validity");
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /** A signing (MSP) certificate with no SANs. */
    public static CertificateProfile signing(X500Name subject, KeyType keyType, Validity validity) {
        return new CertificateProfile(subject, keyType, validity, false, List.of(), List.of());
    }

    /** A TLS certificate for the host names plus {@code localhost} and {@code 127.0.0.1}. */
    public static CertificateProfile tls(X500Name subject, KeyType keyType, Validity validity, List<String> hostNames) {
        java.util.List<String> dns = new java.util.ArrayList<>(hostNames);
        if (!dns.contains("localhost")) {
            dns.add("localhost");
        }
        return new CertificateProfile(subject, keyType, validity, true, dns, List.of("127.0.0.1"));
    }
}
