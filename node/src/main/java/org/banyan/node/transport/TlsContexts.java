package org.banyan.node.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Netty TLS contexts for consenter links. The SSL provider is the JDK's ({@link SslProvider#JDK}, TLS 1.3/1.2
 * with JDK ALPN), chosen explicitly so behaviour does not depend on whether the BoringSSL native library bundled
 * in grpc-netty-shaded loads on the machine.
 */
public final class TlsContexts {
    static final SslProvider PROVIDER = SslProvider.JDK;

    private TlsContexts() {}

    /** Server side: own certificate, client certificate required and chained to the current directory's TLS CAs. */
    static SslContext server(NodeTlsIdentity identity, Supplier<ConsenterDirectory> directory) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                .trustManager(new DirectoryTrustManager(directory, null))
                .clientAuth(ClientAuth.REQUIRE);
        return GrpcSslContexts.configure(builder, PROVIDER).build();
    }

    /**
     * A client-facing server (Fabric's AtomicBroadcast, later the gateway): own certificate; a client certificate
     * is optional and, when presented, must chain to the directory's TLS CAs, as Fabric's orderer does.
     */
    public static SslContext clientFacingServer(NodeTlsIdentity identity, Supplier<ConsenterDirectory> directory)
            throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                .trustManager(new DirectoryTrustManager(directory, null))
                .clientAuth(ClientAuth.OPTIONAL);
        return GrpcSslContexts.configure(builder, PROVIDER).build();
    }

    /** Client side: own certificate as client certificate; the server must present exactly {@code expectedServer}. */
    static SslContext client(NodeTlsIdentity identity, Supplier<ConsenterDirectory> directory,
                             X509Certificate expectedServer) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .keyManager(identity.privateKey(), identity.certificate())
                .trustManager(new DirectoryTrustManager(directory, expectedServer));
        return GrpcSslContexts.configure(builder, PROVIDER).build();
    }

    /**
     * PKIX against the TLS roots of the directory current at handshake time (so a configuration update takes
     * effect on the next connection), plus, on the client, pinning of the server's end-entity certificate.
     */
    private static final class DirectoryTrustManager extends X509ExtendedTrustManager {
        private final Supplier<ConsenterDirectory> directory;
        private final X509Certificate expectedServer;

        DirectoryTrustManager(Supplier<ConsenterDirectory> directory, X509Certificate expectedServer) {
            this.directory = directory;
            this.expectedServer = expectedServer;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            directory.get().pkix().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            directory.get().pkix().checkServerTrusted(chain, authType, engine);
            pin(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            directory.get().pkix().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            directory.get().pkix().checkServerTrusted(chain, authType, socket);
            pin(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            directory.get().pkix().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            directory.get().pkix().checkServerTrusted(chain, authType);
            pin(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return directory.get().tlsRoots().toArray(new X509Certificate[0]);
        }

        private void pin(X509Certificate[] chain) throws CertificateException {
            if (expectedServer != null && !ConsenterDirectory.der(chain[0]).equals(ConsenterDirectory.der(expectedServer))) {
                throw new CertificateException("server presented " + chain[0].getSubjectX500Principal()
                        + ", not the consenter's configured server_tls_cert " + expectedServer.getSubjectX500Principal());
            }
        }
    }
}
