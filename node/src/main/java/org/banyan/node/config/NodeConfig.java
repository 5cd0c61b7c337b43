package org.banyan.node.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 *   javaInProcess: false                           # every Java package in the node's JVM
 *   allowInProcess: true                           # packages of type java-in-process in the node's JVM
 *   logLevel: info                                 # chaincode and contract API (Fabric's chaincode.logging.level)
 *   shimLogLevel: warning                          # the shim (Fabric's chaincode.logging.shim)
 * gateway:                                         # all optional; see GatewaySettings
 *   endorsementTimeoutMillis: 30000
 *   commitStatusTimeoutMillis: 60000
 *   requestBytesMax: 16777216
 *   concurrentRequestsMax: 512
 *   requestsPerSecondPerClient: 2000
 *   streamIdleTimeoutMillis: 600000
 * rest:                                            # optional; without it the node serves no REST API
 *   address: 127.0.0.1:8443
 *   apiKeysFile: data/rest/apikeys.json             # default dataDir/rest/apikeys.json
 *   walletDir: data/rest/wallet                     # default dataDir/rest/wallet
 * </pre>
 * The consenter port is not configured here: the node listens where the channel configuration says its
 * consenter entry (matched by TLS certificate) is.
 *
 * <p>Every scalar key can be overridden by an environment variable named {@code BANYAN_} followed by the key path
 * in upper snake case: {@code opsAddress} by {@code BANYAN_OPS_ADDRESS}, {@code gateway.concurrentRequestsMax} by
 * {@code BANYAN_GATEWAY_CONCURRENT_REQUESTS_MAX}. A variable wins over the file; its value is read as YAML would
 * read it, and checked the same way. Lists ({@code channels}, {@code chaincode.javaOptions}) come from the file only.
 */
public record NodeConfig(String name, String mspId, Path signingMspDir, Path peerMspDir, Path tlsDir, Path dataDir,
        InetSocketAddress broadcastAddress, InetSocketAddress opsAddress, InetSocketAddress chaincodeAddress,
        List<Path> genesisBlocks, ConsensusSettings consensus, ChaincodeSettings chaincode, GatewaySettings gateway,
        RestSettings rest) {

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
     * @param allowInProcess run packages of type {@code java-in-process} (a Java package whose installer asked
     *     for the in-process runtime, {@code banyan chaincode deploy --mode inprocess}) inside the node's JVM; false
     *     refuses them, so only the operator's {@code javaInProcess} puts chaincode in the node's JVM
     * @param logLevels the chaincode's and the shim's log levels, for processes and in-process chaincode alike
     */
    public record ChaincodeSettings(boolean launch, List<String> javaOptions, long startTimeoutMillis,
            long executeTimeoutMillis, long restartBackoffMillisMin, long restartBackoffMillisMax, int restartsMax,
            long logBytesMax, boolean javaInProcess, boolean allowInProcess, ChaincodeLogLevels logLevels) {
        public static final ChaincodeSettings DEFAULTS = new ChaincodeSettings(true,
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), 30_000, 30_000, 1_000, 60_000, 5, 10L << 20,
                false, true, ChaincodeLogLevels.DEFAULTS);

        public ChaincodeSettings {
            javaOptions = List.copyOf(javaOptions);
            java.util.Objects.requireNonNull(logLevels, "logLevels");
            if (startTimeoutMillis < 1 || executeTimeoutMillis < 1 || restartBackoffMillisMin < 1
                    || restartBackoffMillisMax < restartBackoffMillisMin || restartsMax < 0 || logBytesMax < 4_096) {
                throw new IllegalArgumentException("chaincode settings out of range: startTimeoutMillis="
                        + startTimeoutMillis + " executeTimeoutMillis=" + executeTimeoutMillis
                        + " restartBackoffMillisMin=" + restartBackoffMillisMin + " restartBackoffMillisMax="
                        + restartBackoffMillisMax + " restartsMax=" + restartsMax + " logBytesMax=" + logBytesMax);
            }
        }
    }

    /**
     * Limits and timeouts of the client-facing services (Fabric's gateway, Endorser, Broadcast, Deliver, REST).
     *
     * @param endorsementTimeoutMillis how long the gateway waits for one endorser (Fabric's
     *     {@code peer.gateway.endorsementTimeout})
     * @param commitStatusTimeoutMillis the longest a CommitStatus call waits for its transaction to commit before
     *     it is answered DEADLINE_EXCEEDED (the client may ask again)
     * @param requestBytesMax the largest gateway or REST request accepted (a proposal, a transaction, a REST
     *     body); larger ones are refused RESOURCE_EXHAUSTED (HTTP 413). Fabric's peer and orderer services (Endorser,
     *     Broadcast, Deliver) keep gRPC's transport limit of 100 MiB or this, whichever is larger, as chaincode
     *     packages travel through them
     * @param concurrentRequestsMax client requests served at once, over all clients; past it a request is refused
     *     RESOURCE_EXHAUSTED (HTTP 503) at once rather than queued
     * @param requestsPerSecondPerClient each client identity's (or API key's) sustained request rate, with a burst
     *     of one second's worth; past it a request is refused RESOURCE_EXHAUSTED (HTTP 429)
     * @param streamIdleTimeoutMillis an event stream (chaincode events, blocks, server-sent events) with nothing to
     *     send for this long is ended, so an abandoned stream does not hold resources
     */
    public record GatewaySettings(long endorsementTimeoutMillis, long commitStatusTimeoutMillis, int requestBytesMax,
            int concurrentRequestsMax, int requestsPerSecondPerClient, long streamIdleTimeoutMillis) {
        public static final GatewaySettings DEFAULTS = new GatewaySettings(30_000, 60_000, 16 << 20, 512, 2_000,
                600_000);

        public GatewaySettings {
            if (endorsementTimeoutMillis < 1 || commitStatusTimeoutMillis < 1 || requestBytesMax < 1_024
                    || concurrentRequestsMax < 1 || requestsPerSecondPerClient < 1 || streamIdleTimeoutMillis < 1) {
                throw new IllegalArgumentException("gateway settings out of range: endorsementTimeoutMillis="
                        + endorsementTimeoutMillis + " commitStatusTimeoutMillis=" + commitStatusTimeoutMillis
                        + " requestBytesMax=" + requestBytesMax + " concurrentRequestsMax=" + concurrentRequestsMax
                        + " requestsPerSecondPerClient=" + requestsPerSecondPerClient + " streamIdleTimeoutMillis="
                        + streamIdleTimeoutMillis);
            }
        }
    }

    /**
     * The REST API (see docs/rest.md).
     *
     * @param address where it listens (HTTP; meant for loopback or behind a TLS-terminating proxy), or null for none
     * @param apiKeysFile the API keys and the wallet identity each acts as (written by {@code banyan apikey create})
     * @param walletDir the identities REST requests act as: one MSP folder per identity, keys on the node
     */
    public record RestSettings(InetSocketAddress address, Path apiKeysFile, Path walletDir) {
        public boolean enabled() {
            return address != null;
        }
    }

    public NodeConfig {
        java.util.Objects.requireNonNull(chaincode, "chaincode");
        java.util.Objects.requireNonNull(gateway, "gateway");
        java.util.Objects.requireNonNull(rest, "rest");
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
            List<YamlChannel> channels, YamlConsensus consensus, YamlChaincode chaincode, YamlGateway gateway,
            YamlRest rest) {}

    private record YamlGateway(Long endorsementTimeoutMillis, Long commitStatusTimeoutMillis, Integer requestBytesMax,
            Integer concurrentRequestsMax, Integer requestsPerSecondPerClient, Long streamIdleTimeoutMillis) {}

    private record YamlRest(String address, String apiKeysFile, String walletDir) {}

    private record YamlChannel(String genesisBlock) {}

    private record YamlConsensus(Long roundTimeoutMillis, Long roundTimeoutMaxMillis, Integer retainedBlocksMax,
            Integer lagBlocksMin, Boolean emptyProposals) {}

    private record YamlChaincode(Boolean launch, List<String> javaOptions, Long startTimeoutMillis,
            Long executeTimeoutMillis, Long restartBackoffMillisMin, Long restartBackoffMillisMax, Integer restartsMax,
            Long logBytesMax, Boolean javaInProcess, Boolean allowInProcess, String logLevel, String shimLogLevel) {}

    /**
     * Reads and checks a YAML file.
     *
     * @throws IllegalArgumentException naming the file and the problem: unreadable, not YAML, an unknown or
     *     missing key, a bad address
     */
    public static NodeConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** As {@link #load(Path)}, with {@code environment} in place of the process's environment variables. */
    public static NodeConfig load(Path file, Map<String, String> environment) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Yaml yaml;
        try {
            JsonNode tree = mapper.readTree(Files.readAllBytes(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new IllegalArgumentException(file + ": empty configuration");
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException(file + ": not a YAML mapping");
            }
            EnvironmentOverrides.apply((ObjectNode) tree, Yaml.class, environment);
            yaml = mapper.treeToValue(tree, Yaml.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "'", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        List<Path> genesis = new ArrayList<>();
        for (YamlChannel channel : yaml.channels() == null ? List.<YamlChannel>of() : yaml.channels()) {
            genesis.add(path(base, channel.genesisBlock(), "channels[].genesisBlock", file));
        }
        ConsensusSettings d = ConsensusSettings.DEFAULTS;
        YamlConsensus c = yaml.consensus() == null ? new YamlConsensus(null, null, null, null, null) : yaml.consensus();
        ChaincodeSettings dc = ChaincodeSettings.DEFAULTS;
        YamlChaincode cc = yaml.chaincode() == null
                ? new YamlChaincode(null, null, null, null, null, null, null, null, null, null, null, null)
                : yaml.chaincode();
        GatewaySettings dg = GatewaySettings.DEFAULTS;
        YamlGateway g = yaml.gateway() == null ? new YamlGateway(null, null, null, null, null, null) : yaml.gateway();
        YamlRest r = yaml.rest() == null ? new YamlRest(null, null, null) : yaml.rest();
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
                            or(cc.javaInProcess(), dc.javaInProcess()),
                            or(cc.allowInProcess(), dc.allowInProcess()),
                            new ChaincodeLogLevels(or(cc.logLevel(), dc.logLevels().chaincode()),
                                    or(cc.shimLogLevel(), dc.logLevels().shim()))),
                    new GatewaySettings(or(g.endorsementTimeoutMillis(), dg.endorsementTimeoutMillis()),
                            or(g.commitStatusTimeoutMillis(), dg.commitStatusTimeoutMillis()),
                            or(g.requestBytesMax(), dg.requestBytesMax()),
                            or(g.concurrentRequestsMax(), dg.concurrentRequestsMax()),
                            or(g.requestsPerSecondPerClient(), dg.requestsPerSecondPerClient()),
                            or(g.streamIdleTimeoutMillis(), dg.streamIdleTimeoutMillis())),
                    restSettings(r, base, path(base, yaml.dataDir(), "dataDir", file), file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static RestSettings restSettings(YamlRest rest, Path base, Path dataDir, Path file) {
        if (rest.address() == null) {
            if (rest.apiKeysFile() != null || rest.walletDir() != null) {
                throw new IllegalArgumentException("rest: apiKeysFile and walletDir need rest.address");
            }
            return new RestSettings(null, dataDir.resolve("rest/apikeys.json"), dataDir.resolve("rest/wallet"));
        }
        return new RestSettings(address(rest.address(), "rest.address", file),
                rest.apiKeysFile() == null ? dataDir.resolve("rest/apikeys.json")
                        : base.resolve(rest.apiKeysFile()).normalize(),
                rest.walletDir() == null ? dataDir.resolve("rest/wallet") : base.resolve(rest.walletDir()).normalize());
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
