package org.banyan.crypto.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding and decoding of certificates, PKCS#8 private keys and CRLs, in the forms Fabric writes
 * ({@code CERTIFICATE}, {@code PRIVATE KEY}, {@code X509 CRL}). Stateless and thread-safe.
 */
public final class Pem {
    /** A PEM file larger than this is refused rather than parsed (a CRL of a large CA stays well below). */
    public static final int PEM_BYTES_MAX = 4 * 1024 * 1024;

    private Pem() {}

    /**
     * Every {@code CERTIFICATE} block in order; other blocks are skipped.
     *
     * @throws PemException when a block is not a valid X.509 certificate or there is none
     */
    public static List<X509Certificate> decodeCertificates(byte[] pem) {
        List<X509Certificate> out = new ArrayList<>();
        for (PemObject block : blocks(pem)) {
            if (block.getType().equals("CERTIFICATE")) {
                out.add(certificateFromDer(block.getContent()));
            }
        }
        if (out.isEmpty()) {
            throw new PemException("no CERTIFICATE block");
        }
        return List.copyOf(out);
    }

    /** The single certificate of a PEM; refuses zero or several. */
    public static X509Certificate decodeCertificate(byte[] pem) {
        List<X509Certificate> all = decodeCertificates(pem);
        if (all.size() != 1) {
            throw new PemException("expected one certificate, found " + all.size());
        }
        return all.get(0);
    }

    /** A certificate from its DER encoding. */
    public static X509Certificate certificateFromDer(byte[] der) {
        try {
            return (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new PemException("not an X.509 certificate", e);
        }
    }

    /** A private key from {@code PRIVATE KEY} (PKCS#8) or {@code EC PRIVATE KEY} (SEC 1) PEM. */
    public static PrivateKey decodePrivateKey(byte[] pem) {
        try (PEMParser parser = parser(pem)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new PemException("no unencrypted PRIVATE KEY block");
        } catch (IOException | RuntimeException e) {
            throw e instanceof PemException p ? p : new PemException("not a private key", e);
        }
    }

    /** The single {@code X509 CRL} block of a PEM. */
    public static X509CRL decodeCrl(byte[] pem) {
        for (PemObject block : blocks(pem)) {
            if (block.getType().equals("X509 CRL")) {
                try {
                    return (X509CRL) factory().generateCRL(new ByteArrayInputStream(block.getContent()));
                } catch (CRLException | RuntimeException e) {
                    throw new PemException("not an X.509 CRL", e);
                }
            }
        }
        throw new PemException("no X509 CRL block");
    }

    /** {@code CERTIFICATE} PEM of the certificate. */
    public static byte[] encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new PemException("certificate cannot be encoded", e);
        }
    }

    /** {@code PRIVATE KEY} (unencrypted PKCS#8) PEM of the key, as Fabric's {@code priv_sk} files. */
    public static byte[] encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** {@code X509 CRL} PEM of the CRL. */
    public static byte[] encode(X509CRL crl) {
        try {
            return encode("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new PemException("CRL cannot be encoded", e);
        }
    }

    private static byte[] encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("StringWriter does not fail", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static List<PemObject> blocks(byte[] pem) {
        List<PemObject> out = new ArrayList<>();
        try (org.bouncycastle.util.io.pem.PemReader reader = new org.bouncycastle.util.io.pem.PemReader(
                new InputStreamReader(new ByteArrayInputStream(checked(pem)), StandardCharsets.US_ASCII))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                out.add(block);
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException("malformed PEM", e);
        }
        return out;
    }

    private static PEMParser parser(byte[] pem) {
        return new PEMParser(new InputStreamReader(new ByteArrayInputStream(checked(pem)), StandardCharsets.US_ASCII));
    }

    private static byte[] checked(byte[] pem) {
        if (pem == null || pem.length == 0 || pem.length > PEM_BYTES_MAX) {
            throw new PemException("PEM must be 1.." + PEM_BYTES_MAX + " bytes");
        }
        return pem;
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JDK has X.509", e);
        }
    }
}
