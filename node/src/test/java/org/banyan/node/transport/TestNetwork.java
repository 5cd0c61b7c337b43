package org.banyan.node.transport;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.sign.KeyType;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;

/**
 * Generated crypto for N organisations on 127.0.0.1 free ports, and channel configurations over them. Mirrors
 * the few lines of {@code cli/NetworkCrypto} that turn generated folders into {@link OrgDefinition}s.
 */
final class TestNetwork {
    static final String HOST = "127.0.0.1";

    /** Fast reconnects and short timeouts so the tests finish quickly. */
    static final TransportLimits LIMITS = new TransportLimits(16 * 1024 * 1024, 10_000, 1_000,
            20, 500, 2_000, 10_000, 5_000, 5_000, 5_000);

    final GeneratedNetwork crypto;
    final List<Integer> ports;

    TestNetwork(Path dir, int orgs) {
        this.crypto = CryptoGenerator.generate(dir, orgs, KeyType.ECDSA_P256, 1);
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < orgs; i++) {
            free.add(freePort());
        }
        this.ports = List.copyOf(free);
    }

    /** A channel whose consenters are the given organisations (0-based), consenter IDs 1..n in that order. */
    ChannelConfig channel(String channelId, int... orgIndexes) {
        List<OrgDefinition> definitions = new ArrayList<>();
        for (int index : orgIndexes) {
            GeneratedOrg org = crypto.orgs().get(index);
            definitions.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), HOST, ports.get(index),
                    ByteString.copyFrom(read(onlyFile(org.ordererMspDir().resolve("signcerts")))),
                    ByteString.copyFrom(read(org.ordererTlsDir().resolve("server.crt")))));
        }
        try {
            return ChannelConfigs.fromBlock(ChannelConfigs.genesisBlock(
                    new ChannelProfile(channelId, definitions, ChannelProfile.BatchParameters.DEFAULTS)));
        } catch (MalformedTransactionException e) {
            throw new IllegalStateException(e);
        }
    }

    NodeTlsIdentity tls(int orgIndex) {
        return NodeTlsIdentity.load(crypto.orgs().get(orgIndex).ordererTlsDir());
    }

    InetSocketAddress address(int orgIndex) {
        return new InetSocketAddress(HOST, ports.get(orgIndex));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return org.banyan.node.Await.until(timeout, condition);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path onlyFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
