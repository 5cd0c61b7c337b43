package org.banyan.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * What {@code banyan network up} started, as written to {@code DIR/network.json}: the channel, per organisation the
 * endpoints and identities a client needs, and per node its process, log, ledger and ports. The file is the one
 * persisted description of a local network: {@code network status}, {@code network down} and {@code network up}
 * (resuming) read it, and so may other commands and programs ({@link #read}). Every path is absolute. The schema,
 * field by field, is in {@code docs/network.md}; readers ignore fields they do not know, so fields may be added.
 *
 * @param channel the channel every node hosts
 * @param genesisBlock the channel's genesis block
 * @param orgs one entry per organisation, Org1 first
 * @param nodes one entry per node (one node per organisation), in organisation order
 */
public record NetworkDescription(String channel, Path genesisBlock, List<Org> orgs, List<Node> nodes) {
    /** The file name inside the network directory. */
    public static final String FILE_NAME = "network.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Path.class, new PathSerializer())
                    .addDeserializer(Path.class, new PathDeserializer()))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    /**
     * A certificate and its private key (PEM files).
     *
     * @param cert the X.509 certificate (the MSP's {@code signcerts/} file)
     * @param key the PKCS#8 private key (the MSP's {@code keystore/} file)
     */
    public record Identity(Path cert, Path key) {
        public Identity {
            requireAbsolute(cert, "cert");
            requireAbsolute(key, "key");
        }
    }

    /** A client user of an organisation ({@code User1}, ...), role client. */
    public record User(String name, Path cert, Path key) {
        public User {
            Objects.requireNonNull(name, "name");
            requireAbsolute(cert, "cert");
            requireAbsolute(key, "key");
        }

        /** The user as an {@link Identity}. */
        public Identity identity() {
            return new Identity(cert, key);
        }
    }

    /**
     * One organisation, as its clients see it.
     *
     * @param mspId e.g. {@code Org1MSP}
     * @param gateway {@code host:port} of the organisation's node for Fabric clients (gateway, Endorser, Deliver,
     *     Broadcast; gRPC over TLS)
     * @param rest base URL of the node's REST API
     * @param tlsRootCert the CA certificate the node's TLS certificate chains to: what a client trusts
     * @param admin the organisation's admin (role admin): installs and approves chaincode
     * @param users its client users
     */
    public record Org(String mspId, String gateway, String rest, Path tlsRootCert, Identity admin, List<User> users) {
        public Org {
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(rest, "rest");
            requireAbsolute(tlsRootCert, "tlsRootCert");
            Objects.requireNonNull(admin, "admin");
            users = List.copyOf(Objects.requireNonNull(users, "users"));
        }

        /** The user called {@code name}. */
        public User user(String name) {
            return users.stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException(mspId + " has no user " + name + "; it has "
                            + users.stream().map(User::name).toList()));
        }
    }

    /**
     * The TCP ports a node listens on, all on 127.0.0.1.
     *
     * @param consenter consensus and state transfer between nodes (mutual TLS)
     * @param gateway client gRPC: Fabric gateway, Endorser, Deliver, Broadcast (TLS)
     * @param operations HTTP {@code /healthz}, {@code /status}, {@code /metrics}
     * @param chaincode where chaincode processes register (plaintext gRPC)
     * @param rest the REST API (HTTP)
     */
    public record Ports(int consenter, int gateway, int operations, int chaincode, int rest) {
        /** What each port of {@link #all()} is for, in the same order (LocalNetwork's order). */
        public static final List<String> NAMES = List.of("consenter", "gateway", "operations", "chaincode", "REST");

        /** Every port, in the order of the fields. */
        public List<Integer> all() {
            return List.of(consenter, gateway, operations, chaincode, rest);
        }
    }

    /**
     * One node process.
     *
     * @param name e.g. {@code org1}
     * @param mspId the organisation it belongs to
     * @param pid the process {@code network up} started last; it may have exited since ({@code network status})
     * @param logs the node's log (stdout and stderr, appended across restarts)
     * @param ledger the node's ledger directory ({@code banyan ledger verify --ledger})
     * @param metrics URL of the node's metrics (operations port)
     * @param operations base URL of the operations endpoint ({@code /healthz}, {@code /status})
     * @param config the node's configuration file; the process runs {@code banyan node start --config} it
     * @param ports every port the node listens on
     */
    public record Node(String name, String mspId, long pid, Path logs, Path ledger, String metrics,
            String operations, Path config, Ports ports) {
        public Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mspId, "mspId");
            requireAbsolute(logs, "logs");
            requireAbsolute(ledger, "ledger");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(operations, "operations");
            requireAbsolute(config, "config");
            Objects.requireNonNull(ports, "ports");
        }

        /** The same node, started as process {@code newPid}. */
        public Node withPid(long newPid) {
            return new Node(name, mspId, newPid, logs, ledger, metrics, operations, config, ports);
        }
    }

    public NetworkDescription {
        Objects.requireNonNull(channel, "channel");
        requireAbsolute(genesisBlock, "genesisBlock");
        orgs = List.copyOf(Objects.requireNonNull(orgs, "orgs"));
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        if (orgs.isEmpty() || nodes.isEmpty()) {
            throw new IllegalArgumentException("a network has at least one organisation and one node");
        }
    }

    /** {@code dir/network.json}. */
    public static Path file(Path dir) {
        return dir.resolve(FILE_NAME);
    }

    /** Whether {@code dir} holds a network description. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(file(dir));
    }

    /**
     * Reads {@code dir/network.json}.
     *
     * @throws IllegalArgumentException if the file is missing, or is not a network description (the message names the
     *     file and the problem)
     */
    public static NetworkDescription read(Path dir) {
        Path file = file(dir);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a Banyan network: it has no " + FILE_NAME
                    + " (banyan network up --dir " + dir + " --orgs N creates one)");
        }
        try {
            return JSON.readValue(file.toFile(), NetworkDescription.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a valid network description: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code dir/network.json} atomically (a temporary file renamed over it), so a concurrent reader sees
     * the old or the new description, never half of one.
     */
    public void write(Path dir) {
        Path file = file(dir);
        Path temporary = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The organisation with this MSP ID. */
    public Org org(String mspId) {
        return orgs.stream().filter(o -> o.mspId().equals(mspId)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the network has no organisation " + mspId + "; it has "
                        + orgs.stream().map(Org::mspId).toList()));
    }

    /** The node called {@code name}. */
    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the network has no node " + name + "; it has "
                        + nodes.stream().map(Node::name).toList()));
    }

    /** The same network with {@code node} replacing the node of the same name. */
    public NetworkDescription with(Node node) {
        node(node.name()); // must exist
        List<Node> replaced = nodes.stream().map(n -> n.name().equals(node.name()) ? node : n).toList();
        return new NetworkDescription(channel, genesisBlock, orgs, replaced);
    }

    private static void requireAbsolute(Path path, String field) {
        Objects.requireNonNull(path, field);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(field + " must be an absolute path: " + path);
        }
    }

    /** Paths as plain strings (Jackson's default writes {@code file://} URIs). */
    private static final class PathSerializer extends JsonSerializer<Path> {
        @Override
        public void serialize(Path value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(value.toString());
        }
    }

    private static final class PathDeserializer extends JsonDeserializer<Path> {
        @Override
        public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Path.of(parser.getValueAsString());
        }
    }
}
