package org.banyan.node.consensus;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.SignatureVerifier;
import org.banyan.crypto.sign.VerificationKey;
import org.hyperledger.fabric.protos.common.Consenter;

/**
 * Verifies consenters' signatures with the public key of each consenter's identity certificate
 * ({@code common.Consenter.identity}, PEM). Replica {@code i} is the {@code i}-th consenter in ID order. Keys are
 * decoded once, at construction, and kept per replica. Immutable and thread-safe.
 */
public final class MspSignatureVerifier implements SignatureVerifier {
    private final org.banyan.crypto.sign.SignatureVerifier verifier;
    private final List<VerificationKey> keys;

    /** @param certificates the consenters' identity certificates, index = replica id */
    public MspSignatureVerifier(List<X509Certificate> certificates, org.banyan.crypto.sign.SignatureVerifier verifier) {
        this.verifier = verifier;
        List<VerificationKey> decoded = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            decoded.add(verifier.decode(certificate.getPublicKey()));
        }
        this.keys = List.copyOf(decoded);
    }

    /**
     * From a channel's consenters (in ID order, as {@code ChannelConfig.consenters()}).
     *
     * @throws IllegalArgumentException when an identity is not a certificate with a supported key
     */
    public static MspSignatureVerifier of(List<Consenter> consenters,
            org.banyan.crypto.sign.SignatureVerifier verifier) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Consenter consenter : consenters) {
            certificates.add(parse(consenter));
        }
        return new MspSignatureVerifier(certificates, verifier);
    }

    @Override
    public boolean verify(ReplicaId signer, byte[] message, byte[] signature) {
        if (signer.value() < 0 || signer.value() >= keys.size()) {
            return false;
        }
        return verifier.verify(keys.get(signer.value()), message, signature);
    }

    private static X509Certificate parse(Consenter consenter) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(consenter.getIdentity().toByteArray()));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("consenter " + consenter.getId() + " identity is no certificate", e);
        }
    }
}
