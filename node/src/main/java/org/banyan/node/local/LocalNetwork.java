package org.banyan.node.local;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.config.NodeConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.AnchorPeer;

/**
 * Lays out a local multi-organisation network on loopback in one directory: crypto material for N organisations
 * (Fabric's cryptogen layout), one channel whose consenters are every organisation's node, its genesis block, and
 * one node configuration per organisation. Ports: consenter {@code basePort + i}, client-facing gRPC (Fabric's
 * gateway, Endorser, Deliver and Broadcast; the organisation's anchor peer in the channel) {@code basePort + 100 + i},
 * operations {@code basePort + 200 + i}, chaincode {@code basePort + 300 + i}, REST {@code basePort + 400 + i}.
 *
 * <pre>
 * D/crypto/peerOrganizations/...      identities (crypto generate)
 * D/CHANNEL.block                     genesis block
 * D/nodes/orgN/node.yaml              configuration of org N's node; its data under D/nodes/orgN/data
 * </pre>
 */
public final class LocalNetwork {
    /** One node of the layout. */
    public record NodeLayout(String name, String mspId, Path configFile, Path dataDir, int consenterPort,
            int broadcastPort, int opsPort, int chaincodePort, int restPort, Path tlsCaCert, List<Path> userMspDirs) {}

    /** The whole layout. */
    public record Layout(Path dir, String channelId, Path genesisBlock, List<NodeLayout> nodes,
            GeneratedNetwork crypto) {
        /** Each organisation's peer identity, in organisation order: the endorsers of sample transactions. */
        public List<LocalSigningIdentity> peers() {
            return crypto.orgs().stream().map(org -> LocalSigningIdentity.load(org.peerMspDir(), org.mspId())).toList();
        }

        /** The peers of the first ⌊n/2⌋+1 organisations: enough for the channel's default MAJORITY Endorsement. */
        public List<LocalSigningIdentity> majorityOfPeers() {
            return peers().subList(0, nodes.size() / 2 + 1);
        }
    }

    /** How many ports each node listens on: consenter, client, operations, chaincode, REST. */
    public static final int PORTS_PER_NODE = 5;
    /** The distance between a node's ports of one kind and the next kind (consenter, client, ...). */
    public static final int PORT_STRIDE = 100;

    private LocalNetwork() {}

    /**
     * The ports the node of organisation {@code index} (0-based) listens on, in the order consenter, client,
     * operations, chaincode, REST: {@code basePort + index + k * PORT_STRIDE}. Callers check them free before
     * {@link #write} (a port is fixed in the genesis block and the node configuration once written).
     */
    public static List<Integer> ports(int basePort, int index) {
        List<Integer> ports = new ArrayList<>(PORTS_PER_NODE);
        for (int k = 0; k < PORTS_PER_NODE; k++) {
            ports.add(basePort + index + k * PORT_STRIDE);
        }
        return List.copyOf(ports);
    }

    /**
     * Writes the layout. {@code consensusYaml} is appended to each node's configuration under {@code consensus:}
     * (empty for the defaults), e.g. {@code "  roundTimeoutMillis: 500\n"}.
     */
    public static Layout write(Path dir, int orgs, String channelId, int basePort, int usersPerOrg,
            ChannelProfile.BatchParameters batch, String consensusYaml) {
        return write(dir, orgs, channelId, basePort, usersPerOrg, batch, consensusYaml, "");
    }

    /**
     * As {@link #write(Path, int, String, int, int, ChannelProfile.BatchParameters, String)}, with
     * {@code chaincodeYaml} appended under {@code chaincode:} (empty for the defaults), e.g.
     * {@code "  executeTimeoutMillis: 2000\n"}.
     */
    public static Layout write(Path dir, int orgs, String channelId, int basePort, int usersPerOrg,
            ChannelProfile.BatchParameters batch, String consensusYaml, String chaincodeYaml) {
        return write(dir, CryptoGenerator.defaultNames(orgs), channelId, basePort, usersPerOrg, batch, consensusYaml,
                chaincodeYaml);
    }

    /**
     * As {@link #write(Path, int, String, int, int, ChannelProfile.BatchParameters, String, String)}, with the
     * organisations named ({@code CentralBank} → MSP ID {@code CentralBankMSP}); nodes are still {@code org1},
     * {@code org2}, ... in that order.
     */
    public static Layout write(Path dir, List<String> orgNames, String channelId, int basePort, int usersPerOrg,
            ChannelProfile.BatchParameters batch, String consensusYaml, String chaincodeYaml) {
        int orgs = orgNames.size();
        try {
            GeneratedNetwork crypto = CryptoGenerator.generate(dir.resolve("crypto"), orgNames, KeyType.ECDSA_P256,
                    usersPerOrg);
            List<OrgDefinition> definitions = new ArrayList<>();
            for (int i = 0; i < orgs; i++) {
                GeneratedOrg org = crypto.orgs().get(i);
                List<Integer> ports = ports(basePort, i);
                definitions.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), "127.0.0.1", ports.get(0),
                        ByteString.copyFrom(Files.readAllBytes(onlyFile(org.ordererMspDir().resolve("signcerts")))),
                        ByteString.copyFrom(Files.readAllBytes(org.ordererTlsDir().resolve("server.crt"))),
                        List.of(AnchorPeer.newBuilder().setHost("127.0.0.1").setPort(ports.get(1)).build())));
            }
            Block genesis = ChannelConfigs.genesisBlock(new ChannelProfile(channelId, definitions, batch));
            Path genesisFile = dir.resolve(channelId + ".block");
            Files.write(genesisFile, genesis.toByteArray());
            List<NodeLayout> nodes = new ArrayList<>();
            for (int i = 0; i < orgs; i++) {
                GeneratedOrg org = crypto.orgs().get(i);
                String name = "org" + (i + 1);
                Path nodeDir = Files.createDirectories(dir.resolve("nodes").resolve(name));
                Path configFile = nodeDir.resolve("node.yaml");
                List<Integer> ports = ports(basePort, i);
                NodeLayout node = new NodeLayout(name, org.mspId(), configFile, nodeDir.resolve("data"), ports.get(0),
                        ports.get(1), ports.get(2), ports.get(3), ports.get(4), org.ordererTlsDir().resolve("ca.crt"),
                        org.userMspDirs());
                Files.writeString(configFile, yaml(node, org, genesisFile, consensusYaml, chaincodeYaml),
                        StandardCharsets.UTF_8);
                NodeConfig.load(configFile); // what we wrote must read back
                nodes.add(node);
            }
            return new Layout(dir, channelId, genesisFile, List.copyOf(nodes), crypto);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a local network under " + dir, e);
        }
    }

    private static String yaml(NodeLayout node, GeneratedOrg org, Path genesis, String consensusYaml,
            String chaincodeYaml) {
        StringBuilder out = new StringBuilder()
                .append("# Written by LocalNetwork; see docs/node.md for every key.\n")
                .append("name: ").append(node.name()).append('\n')
                .append("mspId: ").append(node.mspId()).append('\n')
                .append("signingMspDir: ").append(quoted(org.ordererMspDir())).append('\n')
                .append("peerMspDir: ").append(quoted(org.peerMspDir())).append('\n')
                .append("tlsDir: ").append(quoted(org.ordererTlsDir())).append('\n')
                .append("dataDir: ").append(quoted(node.dataDir())).append('\n')
                .append("broadcastAddress: 127.0.0.1:").append(node.broadcastPort()).append('\n')
                .append("opsAddress: 127.0.0.1:").append(node.opsPort()).append('\n')
                .append("chaincodeAddress: 127.0.0.1:").append(node.chaincodePort()).append('\n')
                .append("channels:\n  - genesisBlock: ").append(quoted(genesis)).append('\n')
                .append("rest:\n  address: 127.0.0.1:").append(node.restPort()).append('\n');
        if (!consensusYaml.isEmpty()) {
            out.append("consensus:\n").append(consensusYaml);
        }
        if (!chaincodeYaml.isEmpty()) {
            out.append("chaincode:\n").append(chaincodeYaml);
        }
        return out.toString();
    }

    private static String quoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(Files::isRegularFile).sorted().toList();
            if (list.size() != 1) {
                throw new IllegalStateException(dir + " should hold exactly one certificate, found " + list.size());
            }
            return list.getFirst();
        }
    }
}
