package org.banyan.node.transport;

import com.google.protobuf.ByteString;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.banyan.crypto.x509.Pem;
import org.banyan.protocol.config.ChannelConfig;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;

/**
 * Who the consenters of the channels this node hosts are, by TLS certificate, and which TLS CAs to trust.
 * Immutable; a configuration change builds a new directory.
 *
 * <p>Identity rule: a TLS peer is consenter {@code id} of channel {@code c} iff its end-entity certificate is
 * byte-for-byte (DER) the {@code client_tls_cert} of consenter {@code id} in {@code c}'s configuration, and its
 * chain verifies against a {@code tls_root_certs} entry of one of the channels' MSPs. A node that is a consenter
 * in several channels may carry a different ID in each.
 */
public final class ConsenterDirectory {
    /** A remote node as the dialler sees it: where to dial and which server certificate to expect. */
    public record Endpoint(String host, int port, X509Certificate serverCertificate) {
        String key() {
            return host + ":" + port + "/" + der(serverCertificate);
        }
    }

    private final SortedMap<String, SortedMap<Integer, Consenter>> consentersByChannel;
    /** Channel → consenter ID → endpoint, decoded once (a lookup happens for every frame sent). */
    private final Map<String, Map<Integer, Endpoint>> endpoints;
    /** Client certificate (hex DER) → channel → consenter ID. */
    private final Map<String, Map<String, Integer>> idsByClientCert;
    private final List<X509Certificate> tlsRoots;
    private final X509ExtendedTrustManager pkix;

    private ConsenterDirectory(SortedMap<String, SortedMap<Integer, Consenter>> consentersByChannel,
                               Map<String, Map<String, Integer>> idsByClientCert, List<X509Certificate> tlsRoots) {
        this.consentersByChannel = consentersByChannel;
        Map<String, Map<Integer, Endpoint>> decoded = new java.util.HashMap<>();
        consentersByChannel.forEach((channel, consenters) -> consenters.forEach((id, consenter) ->
                decoded.computeIfAbsent(channel, c -> new java.util.HashMap<>()).put(id, new Endpoint(consenter.getHost(),
                        consenter.getPort(), certificate(consenter.getServerTlsCert(), channel, id)))));
        this.endpoints = decoded;
        this.idsByClientCert = idsByClientCert;
        this.tlsRoots = tlsRoots;
        this.pkix = pkixTrustManager(tlsRoots);
    }

    /**
     * Builds the directory from the channels' current configurations.
     *
     * @throws IllegalArgumentException when a certificate does not parse or a channel has no TLS root
     */
    public static ConsenterDirectory of(Collection<ChannelConfig> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a consenter directory needs at least one channel");
        }
        SortedMap<String, SortedMap<Integer, Consenter>> byChannel = new TreeMap<>();
        Map<String, Map<String, Integer>> byCert = new LinkedHashMap<>();
        Map<String, X509Certificate> roots = new TreeMap<>();
        for (ChannelConfig channel : channels) {
            SortedMap<Integer, Consenter> consenters = new TreeMap<>();
            for (Consenter consenter : channel.consenters()) {
                consenters.put(consenter.getId(), consenter);
                String cert = der(certificate(consenter.getClientTlsCert(), channel.channelId(), consenter.getId()));
                Integer previous = byCert.computeIfAbsent(cert, k -> new TreeMap<>()).put(channel.channelId(), consenter.getId());
                if (previous != null) {
                    throw new IllegalArgumentException("channel " + channel.channelId() + ": consenters " + previous
                            + " and " + consenter.getId() + " share a TLS certificate");
                }
            }
            byChannel.put(channel.channelId(), consenters);
            for (FabricMSPConfig msp : channel.msps().values()) {
                for (ByteString pem : msp.getTlsRootCertsList()) {
                    for (X509Certificate root : Pem.decodeCertificates(pem.toByteArray())) {
                        roots.put(der(root), root);
                    }
                }
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("the channels' MSPs carry no TLS root certificates");
        }
        return new ConsenterDirectory(byChannel, byCert, List.copyOf(roots.values()));
    }

    /** The consenter ID of the holder of {@code clientCertificate} in {@code channelId}, if it is one. */
    public OptionalInt consenterId(X509Certificate clientCertificate, String channelId) {
        Integer id = idsByClientCert.getOrDefault(der(clientCertificate), Map.of()).get(channelId);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Whether the certificate belongs to a consenter of any hosted channel. */
    public boolean isConsenter(X509Certificate clientCertificate) {
        return idsByClientCert.containsKey(der(clientCertificate));
    }

    /** Where consenter {@code consenterId} of {@code channelId} listens. */
    public Optional<Endpoint> endpoint(String channelId, int consenterId) {
        return Optional.ofNullable(endpoints.getOrDefault(channelId, Map.of()).get(consenterId));
    }

    /** Every endpoint of every channel except those whose client certificate is {@code self}; deduplicated. */
    public List<Endpoint> endpointsExcept(X509Certificate self) {
        Map<String, Endpoint> endpoints = new TreeMap<>();
        String selfDer = der(self);
        consentersByChannel.forEach((channel, consenters) -> consenters.forEach((id, consenter) -> {
            if (!der(certificate(consenter.getClientTlsCert(), channel, id)).equals(selfDer)) {
                Endpoint endpoint = endpoint(channel, id).orElseThrow();
                endpoints.put(endpoint.key(), endpoint);
            }
        }));
        return new ArrayList<>(endpoints.values());
    }

    public List<String> channelIds() {
        return List.copyOf(consentersByChannel.keySet());
    }

    /** The TLS roots of every MSP of every hosted channel. */
    public List<X509Certificate> tlsRoots() {
        return tlsRoots;
    }

    /** PKIX validation against {@link #tlsRoots()}, with the JDK's hostname check when an engine is given. */
    X509ExtendedTrustManager pkix() {
        return pkix;
    }

    static String der(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate does not encode", e);
        }
    }

    private static X509Certificate certificate(ByteString pem, String channelId, int consenterId) {
        try {
            return Pem.decodeCertificate(pem.toByteArray());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("channel " + channelId + ": consenter " + consenterId
                    + " has an unreadable TLS certificate: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkixTrustManager(List<X509Certificate> roots) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("tlsca-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS trust store", e);
        }
    }
}
