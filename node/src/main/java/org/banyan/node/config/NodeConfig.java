package org.banyan.node.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's configuration, read from YAML. Relative paths are resolved against the file's directory. Unknown keys
 * are errors (a misspelt key must not silently fall back to a default).
 *
 * <pre>
 * name: org1-node                 # for logs and thread names
 * mspId: Org1MSP
 * signingMspDir: crypto/.../orderers/orderer0/msp   # the identity that signs votes (its channel consenter entry)
 * peerMspDir: crypto/.../peers/peer0/msp           # the identity that signs endorsements (role peer)
 * tlsDir: crypto/.../orderers/orderer0/tls          # server.crt / server.key: consenter links and client TLS
 * dataDir: data/org1                               # ledgers/, consensus/ (safety state), packages/
 * broadcastAddress: 127.0.0.1:7050                 # Fabric AtomicBroadcast (clients submit envelopes)
 * opsAddress: 127.0.0.1:9443                       # HTTP /healthz and /status
 * chaincodeAddress: 127.0.0.1:7052                 # chaincode processes register here (ChaincodeSupport)
 * channels:
 *   - genesisBlock: mychannel.block
 * consensus:                                       # all optional
 *   roundTimeoutMillis: 1000
 *   roundTimeoutMaxMillis: 16000
 *   retainedBlocksMax: 256
 *   lagBlocksMin: 128
 * chaincode:                                       # all optional; see ChaincodeSettings
 *   launch: true
 *   javaOptions: [-Xmx256m, -XX:+ExitOnOutOfMemoryError]
 *   startTimeoutMillis: 30000
 *   executeTimeoutMillis: 30000
 *   restartBackoffMillisMin: 1000
 *   restartBackoffMillisMax: 60000
 *   restartsMax: 5
 *   logBytesMax: 10485760
 * </pre>
 * The consenter port is not configured here: the node listens where the channel configuration says its
 * consenter entry (matched by TLS certificate) is.
 */
public record NodeConfig(String name, String mspId, Path signingMspDir, Path peerMspDir, Path tlsDir, Path dataDir,
        InetSocketAddress broadcastAddress, InetSocketAddress opsAddress, InetSocketAddress chaincodeAddress,
        List<Path> genesisBlocks, ConsensusSettings consensus, ChaincodeSettings chaincode) {

    /** A configuration with the default chaincode settings. */
    public NodeConfig(String name, String mspId, Path signingMspDir, Path peerMspDir, Path tlsDir, Path dataDir,
            InetSocketAddress broadcastAddress, InetSocketAddress opsAddress, InetSocketAddress chaincodeAddress,
            List<Path> genesisBlocks, ConsensusSettings consensus) {
        this(name, mspId, signingMspDir, peerMspDir, tlsDir, dataDir, broadcastAddress, opsAddress, chaincodeAddress,
                genesisBlocks, consensus, ChaincodeSettings.DEFAULTS);
    }

    /**
     * Tuning of every channel's consensus. Batch limits come from the channel configuration (BatchSize).
     *
     * @param lagBlocksMin a certified height this far above the ledger's tip starts state transfer
     */
    public record ConsensusSettings(long roundTimeoutMillis, long roundTimeoutMaxMillis, int retainedBlocksMax,
            int lagBlocksMin, boolean emptyProposals) {
        public static final ConsensusSettings DEFAULTS = new ConsensusSettings(1_000, 16_000, 256, 128, false);

        public ConsensusSettings {
            if (roundTimeoutMillis < 10 || roundTimeoutMaxMillis < roundTimeoutMillis || retainedBlocksMax < 1
                    || lagBlocksMin < 1) {
                throw new IllegalArgumentException("consensus settings out of range: roundTimeoutMillis="
                        + roundTimeoutMillis + " roundTimeoutMaxMillis=" + roundTimeoutMaxMillis
                        + " retainedBlocksMax=" + retainedBlocksMax + " lagBlocksMin=" + lagBlocksMin);
            }
        }
    }

    /**
     * How the node runs chaincode (see {@code docs/chaincode.md}).
     *
     * @param launch run installed chaincode packages the node can run: a prebuilt Java package as a supervised
     *     child JVM, a {@code ccaas} package by dialling its server; false leaves every chaincode to its operator
     * @param javaOptions JVM options of launched Java chaincode (the node's own JDK runs it)
     * @param startTimeoutMillis how long a launched chaincode may take to register (past it, it is killed and
     *     restarted), and the longest a transaction waits for a chaincode that is starting (Fabric's
     *     {@code chaincode.startuptimeout})
     * @param executeTimeoutMillis how long one execution may take, chaincode-to-chaincode calls included
     *     (Fabric's {@code chaincode.executetimeout})
     * @param restartBackoffMillisMin the wait before restarting a process that exited, doubling with each exit
     *     within 10 minutes
     * @param restartBackoffMillisMax the longest such wait
     * @param restartsMax restarts within 10 minutes; one exit more and the process stays down until the node
     *     restarts
     * @param logBytesMax the size at which a chaincode process's log file is rotated (one older file kept)
     * @param javaInProcess run prebuilt Java (contract API) packages inside the node's JVM, each in its own class
     *     loader, instead of as child processes: the fast path, for chaincode the node's operator trusts (no
     *     memory or CPU isolation; see docs/chaincode.md, "In-process")
     */
    public record ChaincodeSettings(boolean launch, List<String> javaOptions, long startTimeoutMillis,
            long executeTimeoutMillis, long restartBackoffMillisMin, long restartBackoffMillisMax, int restartsMax,
            long logBytesMax, boolean javaInProcess) {
        public static final ChaincodeSettings DEFAULTS = new ChaincodeSettings(true,
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), 30_000, 30_000, 1_000, 60_000, 5, 10L << 20,
                false);

        public ChaincodeSettings {
            javaOptions = List.copyOf(javaOptions);
            if (startTimeoutMillis < 1 || executeTimeoutMillis < 1 || restartBackoffMillisMin < 1
                    || restartBackoffMillisMax < restartBackoffMillisMin || restartsMax < 0 || logBytesMax < 4_096) {
                throw new IllegalArgumentException("chaincode settings out of range: startTimeoutMillis="
                        + startTimeoutMillis + " executeTimeoutMillis=" + executeTimeoutMillis
                        + " restartBackoffMillisMin=" + restartBackoffMillisMin + " restartBackoffMillisMax="
                        + restartBackoffMillisMax + " restartsMax=" + restartsMax + " logBytesMax=" + logBytesMax);
            }
        }
    }

    public NodeConfig {
        java.util.Objects.requireNonNull(chaincode, "chaincode");
        genesisBlocks = List.copyOf(genesisBlocks);
        if (genesisBlocks.isEmpty()) {
            throw new IllegalArgumentException("a node hosts at least one channel (channels: - genesisBlock: FILE)");
        }
    }

    public Path ledgerDir() {
        return dataDir.resolve("ledgers");
    }

    public Path consensusDir() {
        return dataDir.resolve("consensus");
    }

    /** Chaincode packages installed on this node ({@code _lifecycle InstallChaincode}). */
    public Path packagesDir() {
        return dataDir.resolve("packages");
    }

    /** What the node runs of its packages: per package its extracted code and its process's log. */
    public Path chaincodesDir() {
        return dataDir.resolve("chaincodes");
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    private record Yaml(String name, String mspId, String signingMspDir, String peerMspDir, String tlsDir,
            String dataDir, String broadcastAddress, String opsAddress, String chaincodeAddress,
            List<YamlChannel> channels, YamlConsensus consensus, YamlChaincode chaincode) {}

    private record YamlChannel(String genesisBlock) {}

    private record YamlConsensus(Long roundTimeoutMillis, Long roundTimeoutMaxMillis, Integer retainedBlocksMax,
            Integer lagBlocksMin, Boolean emptyProposals) {}

    private record YamlChaincode(Boolean launch, List<String> javaOptions, Long startTimeoutMillis,
            Long executeTimeoutMillis, Long restartBackoffMillisMin, Long restartBackoffMillisMax, Integer restartsMax,
            Long logBytesMax, Boolean javaInProcess) {}

    /**
     * Reads and checks a YAML file.
     *
     * @throws IllegalArgumentException naming the file and the problem: unreadable, not YAML, an unknown or
     *     missing key, a bad address
     */
    public static NodeConfig load(Path file) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Yaml yaml;
        try {
            yaml = mapper.readValue(Files.readAllBytes(file), Yaml.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "'", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (yaml == null) {
            throw new IllegalArgumentException(file + ": empty configuration");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Path> genesis = new ArrayList<>();
        for (YamlChannel channel : yaml.channels() == null ? List.<YamlChannel>of() : yaml.channels()) {
            genesis.add(path(base, channel.genesisBlock(), "channels[].genesisBlock", file));
        }
        ConsensusSettings d = ConsensusSettings.DEFAULTS;
        YamlConsensus c = yaml.consensus() == null ? new YamlConsensus(null, null, null, null, null) : yaml.consensus();
        ChaincodeSettings dc = ChaincodeSettings.DEFAULTS;
        YamlChaincode cc = yaml.chaincode() == null ? new YamlChaincode(null, null, null, null, null, null, null, null, null)
                : yaml.chaincode();
        try {
            return new NodeConfig(required(yaml.name(), "name", file), required(yaml.mspId(), "mspId", file),
                    path(base, yaml.signingMspDir(), "signingMspDir", file),
                    path(base, yaml.peerMspDir(), "peerMspDir", file), path(base, yaml.tlsDir(), "tlsDir", file),
                    path(base, yaml.dataDir(), "dataDir", file),
                    address(yaml.broadcastAddress(), "broadcastAddress", file),
                    address(yaml.opsAddress(), "opsAddress", file),
                    address(yaml.chaincodeAddress(), "chaincodeAddress", file), genesis,
                    new ConsensusSettings(or(c.roundTimeoutMillis(), d.roundTimeoutMillis()),
                            or(c.roundTimeoutMaxMillis(), d.roundTimeoutMaxMillis()),
                            or(c.retainedBlocksMax(), d.retainedBlocksMax()), or(c.lagBlocksMin(), d.lagBlocksMin()),
                            or(c.emptyProposals(), d.emptyProposals())),
                    new ChaincodeSettings(or(cc.launch(), dc.launch()), or(cc.javaOptions(), dc.javaOptions()),
                            or(cc.startTimeoutMillis(), dc.startTimeoutMillis()),
                            or(cc.executeTimeoutMillis(), dc.executeTimeoutMillis()),
                            or(cc.restartBackoffMillisMin(), dc.restartBackoffMillisMin()),
                            or(cc.restartBackoffMillisMax(), dc.restartBackoffMillisMax()),
                            or(cc.restartsMax(), dc.restartsMax()), or(cc.logBytesMax(), dc.logBytesMax()),
                            or(cc.javaInProcess(), dc.javaInProcess())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static String required(String value, String key, Path file) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(file + ": missing key '" + key + "'");
        }
        return value;
    }

    private static Path path(Path base, String value, String key, Path file) {
        return base.resolve(required(value, key, file)).normalize();
    }

    /** {@code host:port}; port 0 picks a free port. */
    public static InetSocketAddress address(String value, String key, Path file) {
        String text = required(value, key, file);
        int colon = text.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException("no port");
            }
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException("port out of range");
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + " '" + text + "' is not host:port (" + e.getMessage()
                    + ")", e);
        }
    }
}
