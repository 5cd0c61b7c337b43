package org.banyan.crypto.x509;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.banyan.crypto.Assert;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.sign.KeyPairs;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.Signer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that holds its key in memory and issues certificates and CRLs with BouncyCastle,
 * in the profile of Fabric's cryptogen: CA certificates have basicConstraints CA, keyCertSign + cRLSign and a
 * SubjectKeyIdentifier of SHA-256 over the public key bits; issued certificates carry the issuer's SKI as
 * AuthorityKeyIdentifier. Not thread-safe for issuing (it is a tool, not a server).
 */
public final class CertificateAuthority {
    private static final SecureRandom SERIALS = new SecureRandom();
    private static final int SERIAL_BITS = 128;

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A CA from an existing certificate and its key (for example read from {@code ca/priv_sk}). */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
        Assert.that(certificate.getBasicConstraints() >= 0, "not a CA certificate: %s",
                certificate.getSubjectX500Principal());
        return new CertificateAuthority(certificate, privateKey);
    }

    /** A new self-signed root CA. */
    public static CertificateAuthority selfSigned(X500Name subject, KeyType keyType, Validity validity) {
        KeyPair pair = KeyPairs.generate(keyType);
        X509v3CertificateBuilder builder = caBuilder(subject, subject, pair.getPublic(), validity);
        return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    }

    /** A new intermediate CA certified by this one. */
    public CertificateAuthority issueIntermediate(X500Name subject, KeyType keyType, Validity validity) {
        KeyPair pair = KeyPairs.generate(keyType);
        X509v3CertificateBuilder builder = caBuilder(issuerName(), subject, pair.getPublic(), validity);
        addExtension(builder, Extension.authorityKeyIdentifier, false, authorityKeyIdentifier());
        return new CertificateAuthority(sign(builder, privateKey), pair.getPrivate());
    }

    /** A new end-entity certificate and key pair per the profile. */
    public IssuedCertificate issue(CertificateProfile profile) {
        KeyPair pair = KeyPairs.generate(profile.keyType());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName(), serial(),
                Date.from(profile.validity().notBefore()), Date.from(profile.validity().notAfter()),
                profile.subject(), pair.getPublic());
        int usage = KeyUsage.digitalSignature | (profile.tls() && profile.keyType() == KeyType.ECDSA_P256 ? KeyUsage.keyAgreement : 0);
        addExtension(builder, Extension.keyUsage, true, new KeyUsage(usage));
        addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        addExtension(builder, Extension.authorityKeyIdentifier, false, authorityKeyIdentifier());
        if (profile.tls()) {
            addExtension(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        }
        List<GeneralName> names = new ArrayList<>();
        profile.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        profile.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        if (!names.isEmpty()) {
            addExtension(builder, Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        return new IssuedCertificate(sign(builder, privateKey), pair.getPrivate());
    }

    /**
     * A CRL revoking the given certificates (which this CA issued).
     *
     * @param revoked certificates to list, revocation date = {@code thisUpdate}
     * @param thisUpdate the CRL's issue instant
     * @param nextUpdate when a newer CRL is due
     */
    public X509CRL issueCrl(List<X509Certificate> revoked, Instant thisUpdate, Instant nextUpdate) {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuerName(), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate certificate : revoked) {
            Assert.that(certificate.getIssuerX500Principal().equals(this.certificate.getSubjectX500Principal()),
                    "CRL entry not issued by this CA");
            builder.addCRLEntry(certificate.getSerialNumber(), Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier());
            X509CRLHolder holder = builder.build(contentSigner(privateKey));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (CRLException | java.io.IOException e) {
            throw new IllegalStateException("BouncyCastle could not build a CRL", e);
        }
    }

    /** This CA's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA's private key; write it with mode 0600. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** SHA-256 of the subjectPublicKey bits, as Fabric's cryptogen computes SKI. */
    public static byte[] keyIdentifier(PublicKey key) {
        return Hashes.sha256(SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes());
    }

    private X500Name issuerName() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private AuthorityKeyIdentifier authorityKeyIdentifier() {
        return new AuthorityKeyIdentifier(keyIdentifier(certificate.getPublicKey()));
    }

    private static X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey key, Validity validity) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, key);
        addExtension(builder, Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign));
        addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        addExtension(builder, Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(key)));
        // Fabric's CA certificates also list serverAuth and clientAuth.
        addExtension(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        return builder;
    }

    private static void addExtension(X509v3CertificateBuilder builder, org.bouncycastle.asn1.ASN1ObjectIdentifier oid,
                                     boolean critical, org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot encode extension " + oid, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        X509CertificateHolder holder = builder.build(contentSigner(signingKey));
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("BouncyCastle built an unreadable certificate", e);
        }
    }

    private static ContentSigner contentSigner(PrivateKey key) {
        String algorithm = Signer.typeOf(key) == KeyType.ED25519 ? "Ed25519" : "SHA256withECDSA";
        try {
            return new JcaContentSignerBuilder(algorithm).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(SERIAL_BITS, SERIALS).setBit(SERIAL_BITS - 1); // positive, fixed length
    }
}
