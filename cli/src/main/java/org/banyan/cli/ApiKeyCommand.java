package org.banyan.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.rest.ApiKeys;
import org.banyan.protocol.config.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apikey", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes a node's REST API keys (docs/rest.md). Each key acts as an identity "
                + "copied into the node's wallet; the node keeps only the key's hash and reads changes without a "
                + "restart.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand extends CommandGroup {
    /** Node directories looked at under {@code DIR/nodes} at most. */
    static final int NODES_MAX = 1_000;

    /** Which node's keys: its configuration, or a network directory and an organisation. */
    static final class NodeChoice {
        @Option(names = "--config", description = "The node's YAML configuration (its rest.apiKeysFile and "
                + "rest.walletDir are used).")
        Path config;

        @Option(names = "--dir", description = "A network directory (nodes/*/node.yaml, crypto/peerOrganizations/...), "
                + "with --org.")
        Path dir;

        @Option(names = "--org", description = "With --dir: the organisation's MSP ID, e.g. Org1MSP.")
        String org;

        /** The chosen node's configuration and where it was read. */
        record Chosen(Path file, NodeConfig config) {}

        Chosen choose() {
            if (config != null) {
                if (dir != null || org != null) {
                    throw new IllegalArgumentException("give either --config, or --dir with --org; not both");
                }
                return new Chosen(config, NodeConfig.load(config));
            }
            if (dir == null || org == null) {
                throw new IllegalArgumentException("say which node: --config NODE_YAML, or --dir NETWORK_DIR --org "
                        + "MSP_ID");
            }
            return nodeOf(dir, org);
        }

        /** The node of {@code mspId} among {@code dir/nodes/*}/node.yaml. */
        private static Chosen nodeOf(Path dir, String mspId) {
            Path nodes = dir.resolve("nodes");
            if (!Files.isDirectory(nodes)) {
                throw new IllegalArgumentException(dir + " has no nodes/ folder, so it is not a network directory; "
                        + "give the node's configuration with --config instead");
            }
            List<String> seen = new java.util.ArrayList<>();
            try (Stream<Path> entries = Files.list(nodes)) {
                for (Path file : entries.map(p -> p.resolve("node.yaml")).filter(Files::isRegularFile).sorted()
                        .limit(NODES_MAX).toList()) {
                    NodeConfig config = NodeConfig.load(file);
                    if (config.mspId().equals(mspId)) {
                        return new Chosen(file, config);
                    }
                    seen.add(config.mspId());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + nodes, e);
            }
            throw new IllegalArgumentException("no node under " + nodes + " belongs to " + mspId
                    + (seen.isEmpty() ? "" : "; its nodes belong to " + String.join(", ", seen)));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Copies a user's identity (certificate and private key) into the node's wallet and creates an "
                    + "API key that acts as it. Prints the key once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        NodeChoice node;

        @Option(names = "--user", defaultValue = "User1", description = "With --dir: the user of the organisation, as "
                + "in crypto/peerOrganizations/ORG/users/USER@ORG. Default: ${DEFAULT-VALUE}.")
        String user;

        @Option(names = "--msp-dir", description = "The identity's MSP folder (signcerts/, keystore/); instead of "
                + "--user.")
        Path mspDir;

        @Option(names = "--msp-id", description = "The identity's MSP ID. Default: the node's.")
        String mspId;

        @Option(names = "--name", description = "Its name in the wallet. Default: the MSP folder's parent's name, "
                + "e.g. User1@org1.example.com.")
        String name;

        @Override
        public Integer call() {
            NodeChoice.Chosen chosen = node.choose();
            NodeConfig config = chosen.config();
            Path msp = mspDir != null ? mspDir : userMspDir(config, user);
            String walletName = name != null ? name : defaultName(msp);
            ApiKeys.Created created = ApiKeys.create(config.rest().apiKeysFile(), config.rest().walletDir(), walletName,
                    msp, mspId != null ? mspId : config.mspId());
            System.out.printf("Created API key %s for %s (%s) on node %s.%n", created.entry().id(), walletName,
                    created.entry().mspId(), config.name());
            System.out.printf("It is shown only now; the node keeps only its hash:%n%n    %s%n%n", created.key());
            if (config.rest().enabled()) {
                System.out.printf("Try it (a running node reads new keys at once):%n    curl -H 'X-API-Key: %s' "
                        + "http://%s/api/channels/%s%n", created.key(), hostPort(config.rest().address()),
                        channelOf(config).orElse("CHANNEL"));
            } else {
                System.err.printf("note: %s has no rest.address, so node %s serves no REST API; add%n"
                        + "    rest:%n      address: 127.0.0.1:8443%nto it and restart the node.%n", chosen.file(),
                        config.name());
            }
            System.out.printf("Revoke it with: banyan apikey revoke --config %s --id %s%n", chosen.file(),
                    created.entry().id());
            return ExitCodes.OK;
        }

        /** {@code orgDir/users/USER@DOMAIN/msp}, next to the node's peer identity in cryptogen's layout. */
        static Path userMspDir(NodeConfig config, String user) {
            // peerMspDir = .../peerOrganizations/DOMAIN/peers/peer0.DOMAIN/msp
            Path orgDir = config.peerMspDir().toAbsolutePath().normalize().getParent().getParent().getParent();
            Path users = orgDir.resolve("users");
            Path msp = users.resolve(user + "@" + orgDir.getFileName()).resolve("msp");
            if (Files.isDirectory(msp)) {
                return msp;
            }
            String known;
            try (Stream<Path> entries = Files.list(users)) {
                known = String.join(", ", entries.map(p -> p.getFileName().toString().split("@")[0]).sorted()
                        .limit(NODES_MAX).toList());
            } catch (IOException e) {
                known = "none (" + users + " cannot be listed)";
            }
            throw new IllegalArgumentException("no user " + user + " in " + users + "; users there: " + known
                    + "; or give the identity's MSP folder with --msp-dir");
        }

        private static String defaultName(Path msp) {
            Path folder = msp.toAbsolutePath().normalize();
            Path named = folder.getFileName().toString().equals("msp") ? folder.getParent() : folder;
            return named.getFileName().toString();
        }

        private static String hostPort(InetSocketAddress address) {
            String host = address.getAddress() != null && address.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                    : address.getHostString();
            return host + ":" + address.getPort();
        }

        /** The first hosted channel's name, for the example; empty if its genesis block cannot be read. */
        private static Optional<String> channelOf(NodeConfig config) {
            try {
                return Optional.of(ChannelConfigs.fromBlock(Block.parseFrom(Files.readAllBytes(
                        config.genesisBlocks().getFirst()))).channelId());
            } catch (Exception e) {
                return Optional.empty();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists a node's API keys (never the keys "
            + "themselves: their ids, identities and creation times).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        NodeChoice node;

        @Override
        public Integer call() {
            NodeConfig config = node.choose().config();
            List<ApiKeys.Entry> keys = ApiKeys.list(config.rest().apiKeysFile());
            if (keys.isEmpty()) {
                System.out.printf("no API keys in %s%n", config.rest().apiKeysFile());
                return ExitCodes.OK;
            }
            System.out.printf("%-12s  %-32s  %-12s  %s%n", "ID", "IDENTITY", "MSP", "CREATED");
            for (ApiKeys.Entry key : keys) {
                System.out.printf("%-12s  %-32s  %-12s  %s%n", key.id(), key.identity(), key.mspId(), key.created());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key: the node refuses "
            + "it from its next request on.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        NodeChoice node;

        @Option(names = "--id", required = true, description = "The key's id (from 'apikey list'), or a unique start "
                + "of it.")
        String id;

        @Override
        public Integer call() {
            NodeConfig config = node.choose().config();
            Optional<ApiKeys.Entry> revoked = ApiKeys.revoke(config.rest().apiKeysFile(), id);
            if (revoked.isEmpty()) {
                System.err.printf("apikey revoke: no API key with id %s in %s; 'banyan apikey list' shows them%n", id,
                        config.rest().apiKeysFile());
                return ExitCodes.FAILURE;
            }
            System.out.printf("Revoked API key %s of %s. The node refuses it from its next request on.%n",
                    revoked.get().id(), revoked.get().identity());
            return ExitCodes.OK;
        }
    }
}
