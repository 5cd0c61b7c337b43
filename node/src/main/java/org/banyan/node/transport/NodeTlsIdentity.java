package org.banyan.node.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.banyan.crypto.x509.Pem;

/**
 * The node's TLS certificate and key, used on both sides of consenter links: generated TLS certificates carry
 * both the serverAuth and clientAuth extended key usages, and the channel configuration lists the same
 * certificate as the consenter's {@code client_tls_cert} and {@code server_tls_cert}.
 */
public record NodeTlsIdentity(X509Certificate certificate, PrivateKey privateKey) {
    /** Reads {@code server.crt} and {@code server.key} from a generated {@code tls/} folder. */
    public static NodeTlsIdentity load(Path tlsDir) {
        return load(tlsDir.resolve("server.crt"), tlsDir.resolve("server.key"));
    }

    /** Reads a PEM certificate and a PKCS#8 PEM key. */
    public static NodeTlsIdentity load(Path certificateFile, Path keyFile) {
        try {
            return new NodeTlsIdentity(Pem.decodeCertificate(Files.readAllBytes(certificateFile)),
                    Pem.decodePrivateKey(Files.readAllBytes(keyFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS identity " + certificateFile, e);
        }
    }
}
