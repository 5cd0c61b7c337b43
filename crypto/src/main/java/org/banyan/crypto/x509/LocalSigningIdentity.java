package org.banyan.crypto.x509;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.Signer;
import org.banyan.crypto.sign.SigningKey;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A {@link SigningIdentity} whose private key is in this process: an MSP id, a certificate and its key.
 * Immutable and thread-safe.
 */
public final class LocalSigningIdentity implements SigningIdentity {
    private static final byte[] KEY_CHECK_MESSAGE = "banyan key/certificate match".getBytes();
    private static final int KEY_FILES_MAX = 64;

    private final String mspId;
    private final byte[] certificatePem;
    private final X509Certificate certificate;
    private final SigningKey signingKey;
    private final Signer signer;
    private final byte[] serialized;

    private LocalSigningIdentity(String mspId, X509Certificate certificate, SigningKey signingKey, Signer signer) {
        this.mspId = mspId;
        this.certificate = certificate;
        this.certificatePem = Pem.encode(certificate);
        this.signingKey = signingKey;
        this.signer = signer;
        this.serialized = SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFrom(certificatePem))
                .build()
                .toByteArray();
    }

    /**
     * An identity from a certificate and its private key, signing with the machine's default provider.
     *
     * @throws IllegalArgumentException when the key does not belong to the certificate
     */
    public static LocalSigningIdentity of(String mspId, X509Certificate certificate, PrivateKey privateKey) {
        if (mspId == null || mspId.isBlank()) {
            throw new IllegalArgumentException("mspId is required");
        }
        Signer signer = Signer.withDefaults();
        SigningKey key = signer.prepare(privateKey);
        if (!matches(certificate, signer, key)) {
            throw new IllegalArgumentException("private key does not match certificate "
                    + certificate.getSubjectX500Principal());
        }
        return new LocalSigningIdentity(mspId, certificate, key, signer);
    }

    /**
     * A fresh identity issued by a fresh CA of its own, for tests, benchmarks and tools that need real
     * certificates and signatures but no MSP folder. Nothing is written to disk; the CA key is discarded, so
     * no MSP will accept the identity unless it is given that CA.
     *
     * @param nodeOu the NodeOU to carry ({@code client}, {@code peer}, {@code admin}, {@code orderer})
     * @param issuedAt start of the certificate's validity (a parameter, so callers stay deterministic)
     */
    public static LocalSigningIdentity ephemeral(String mspId, String nodeOu, String commonName, KeyType keyType,
                                                 Instant issuedAt) {
        Validity validity = Validity.days(issuedAt, 36_500);
        String organization = mspId + ".ephemeral";
        CertificateAuthority ca = CertificateAuthority.selfSigned(
                FabricNames.subject(organization, null, "ca." + organization), keyType, validity);
        IssuedCertificate issued = ca.issue(CertificateProfile.signing(
                FabricNames.subject(organization, nodeOu, commonName), keyType, validity));
        return of(mspId, issued.certificate(), issued.privateKey());
    }

    /**
     * Loads the identity from a Fabric MSP folder: the certificate in {@code signcerts/} and the matching key
     * among the files in {@code keystore/} (cryptogen names it {@code priv_sk}, older tools {@code <ski>_sk}).
     *
     * @throws UncheckedIOException when the folder cannot be read
     * @throws IllegalArgumentException when there is no certificate or no key matching it
     */
    public static LocalSigningIdentity load(Path mspDir, String mspId) {
        X509Certificate certificate = Pem.decodeCertificate(readSingle(mspDir.resolve("signcerts")));
        Signer signer = Signer.withDefaults();
        for (Path keyFile : list(mspDir.resolve("keystore"))) {
            PrivateKey candidate;
            try {
                candidate = Pem.decodePrivateKey(Files.readAllBytes(keyFile));
            } catch (PemException | IOException notAKey) {
                continue; // keystores may hold other files; the matching key is what counts
            }
            SigningKey key = signer.prepare(candidate);
            if (matches(certificate, signer, key)) {
                return new LocalSigningIdentity(mspId, certificate, key, signer);
            }
        }
        throw new IllegalArgumentException("no key in " + mspDir.resolve("keystore") + " matches the signcert");
    }

    private static boolean matches(X509Certificate certificate, Signer signer, SigningKey key) {
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        byte[] signature = signer.sign(key, KEY_CHECK_MESSAGE);
        return verifier.verify(verifier.decode(certificate.getPublicKey()), KEY_CHECK_MESSAGE, signature);
    }

    private static byte[] readSingle(Path dir) {
        List<Path> files = list(dir);
        if (files.size() != 1) {
            throw new IllegalArgumentException("expected one certificate in " + dir + ", found " + files.size());
        }
        try {
            return Files.readAllBytes(files.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> files = new ArrayList<>(entries.filter(Files::isRegularFile).sorted().limit(KEY_FILES_MAX).toList());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public byte[] certificatePem() {
        return certificatePem.clone();
    }

    /** The certificate as an object. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public byte[] serialize() {
        return serialized.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        return signer.sign(signingKey, message);
    }

    @Override
    public String toString() {
        return "LocalSigningIdentity[" + mspId + ", " + certificate.getSubjectX500Principal() + "]";
    }
}
