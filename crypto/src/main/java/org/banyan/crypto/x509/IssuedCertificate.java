package org.banyan.crypto.x509;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate with the private key of its subject.
 *
 * @param certificate the certificate
 * @param privateKey the subject's private key; callers write it with mode 0600
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
    /** Never prints key material. */
    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal() + "]";
    }
}
