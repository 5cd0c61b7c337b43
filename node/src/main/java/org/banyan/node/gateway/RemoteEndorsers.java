package org.banyan.node.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.banyan.crypto.x509.Pem;
import org.banyan.node.transport.NodeTlsIdentity;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.config.ChannelConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Other organisations' endorsers, reached where the channel configuration announces their anchor peers, over TLS
 * that trusts only that organisation's TLS CAs (from its MSP in the channel) and presents this node's TLS
 * certificate as the client's. One gRPC channel per address, opened on first use and kept (gRPC reconnects by
 * itself); at most {@value #CONNECTIONS_MAX} addresses.
 */
public final class RemoteEndorsers implements AutoCloseable {
    static final int CONNECTIONS_MAX = 1_024;
    private static final System.Logger LOG = System.getLogger(RemoteEndorsers.class.getName());

    private final NodeTlsIdentity tls;
    private final int messageBytesMax;
    private final Map<String, ManagedChannel> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RemoteEndorsers(NodeTlsIdentity tls, int messageBytesMax) {
        this.tls = tls;
        this.messageBytesMax = messageBytesMax;
    }

    /** The first anchor peer of {@code mspId} in the channel, or empty when it announces none. */
    public Optional<OrgEndorser> endorser(ChannelConfig channel, String mspId) {
        List<AnchorPeer> anchors;
        try {
            anchors = channel.anchorPeers(mspId);
        } catch (MalformedTransactionException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return Optional.empty();
        }
        FabricMSPConfig msp = channel.msps().get(mspId);
        if (anchors.isEmpty() || msp == null) {
            return Optional.empty();
        }
        AnchorPeer anchor = anchors.getFirst();
        String address = anchor.getHost() + ":" + anchor.getPort();
        return Optional.of(new Remote(mspId, address, msp, anchor));
    }

    private ManagedChannel connection(String address, FabricMSPConfig msp, AnchorPeer anchor) throws SSLException {
        ManagedChannel existing = connections.get(address);
        if (existing != null) {
            return existing;
        }
        if (closed) {
            throw new IllegalStateException("gateway closed");
        }
        if (connections.size() >= CONNECTIONS_MAX) {
            throw new IllegalStateException("more than " + CONNECTIONS_MAX + " endorser addresses");
        }
        List<X509Certificate> roots = new ArrayList<>();
        msp.getTlsRootCertsList().forEach(pem -> roots.add(Pem.decodeCertificate(pem.toByteArray())));
        msp.getTlsIntermediateCertsList().forEach(pem -> roots.add(Pem.decodeCertificate(pem.toByteArray())));
        ManagedChannel created = NettyChannelBuilder.forAddress(anchor.getHost(), anchor.getPort())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(roots.toArray(new X509Certificate[0]))
                        .keyManager(tls.privateKey(), tls.certificate())
                        .build())
                .maxInboundMessageSize(messageBytesMax)
                .build();
        ManagedChannel raced = connections.putIfAbsent(address, created);
        if (raced != null) {
            created.shutdownNow();
            return raced;
        }
        return created;
    }

    private final class Remote implements OrgEndorser {
        private final String mspId;
        private final String address;
        private final FabricMSPConfig msp;
        private final AnchorPeer anchor;

        Remote(String mspId, String address, FabricMSPConfig msp, AnchorPeer anchor) {
            this.mspId = mspId;
            this.address = address;
            this.msp = msp;
            this.anchor = anchor;
        }

        @Override
        public String mspId() {
            return mspId;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public ProposalResponse process(SignedProposal proposal, long timeoutMillis) throws Failure {
            try {
                return EndorserGrpc.newBlockingStub(connection(address, msp, anchor))
                        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS).processProposal(proposal);
            } catch (StatusRuntimeException e) {
                // A Fabric endorser (and Banyan's) ends the call UNKNOWN when it refuses the proposal itself.
                boolean refused = e.getStatus().getCode() == Status.Code.UNKNOWN;
                String description = e.getStatus().getDescription();
                throw new Failure(refused && description != null ? description
                        : e.getStatus().getCode() + (description == null ? "" : ": " + description), refused);
            } catch (SSLException | RuntimeException e) {
                throw new Failure("cannot connect to " + address + ": " + e.getMessage(), false);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ManagedChannel channel : connections.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : connections.values()) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        connections.clear();
    }
}
