package org.banyan.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * A connection to one organisation's gateway as one identity, made the way a Fabric application makes it: with
 * Fabric's own client SDK ({@code fabric-gateway}), TLS trusting the organisation's TLS root, and the identity's
 * certificate and key files from {@code network.json}. The CLI's invoke, query, events and lifecycle steps are
 * ordinary Fabric client calls through it.
 */
final class FabricConnection implements AutoCloseable {
    /** Deadlines of the SDK's calls: generous, a deploy's first transaction may wait for a chaincode to start. */
    static final long CALL_DEADLINE_SECONDS = 120;

    final NetworkDescription.Org org;
    final ManagedChannel channel;
    final Gateway gateway;

    private FabricConnection(NetworkDescription.Org org, ManagedChannel channel, Gateway gateway) {
        this.org = org;
        this.channel = channel;
        this.gateway = gateway;
    }

    static FabricConnection open(NetworkDescription.Org org, NetworkDescription.Identity identity) {
        int colon = org.gateway().lastIndexOf(':');
        ManagedChannel channel;
        try {
            channel = NettyChannelBuilder.forAddress(org.gateway().substring(0, colon),
                            Integer.parseInt(org.gateway().substring(colon + 1)))
                    .sslContext(GrpcSslContexts.forClient().trustManager(org.tlsRootCert().toFile()).build())
                    .maxInboundMessageSize(100 << 20)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot set up TLS to " + org.mspId() + "'s gateway "
                    + org.gateway() + " with root " + org.tlsRootCert() + ": " + e.getMessage());
        }
        try (Reader cert = Files.newBufferedReader(identity.cert()); Reader key = Files.newBufferedReader(identity.key())) {
            Gateway gateway = Gateway.newInstance()
                    .identity(new X509Identity(org.mspId(), Identities.readX509Certificate(cert)))
                    .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key)))
                    .connection(channel)
                    .evaluateOptions(o -> o.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS))
                    .connect();
            return new FabricConnection(org, channel, gateway);
        } catch (IOException | CertificateException | InvalidKeyException | RuntimeException e) {
            channel.shutdownNow();
            throw new CommandFailure(ExitCodes.FAILURE, "cannot read the identity " + identity.cert() + " / "
                    + identity.key() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        gateway.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
