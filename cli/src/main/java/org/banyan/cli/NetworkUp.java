package org.banyan.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.node.config.ChaincodeLogLevels;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.LoopbackPorts;
import org.banyan.protocol.config.ChannelProfile;

/**
 * {@code banyan network up}: in a new or empty directory, writes a network (identities, the channel's genesis
 * block, one node configuration per organisation, {@code network.json}) and starts its nodes; in a directory that
 * holds one, starts the nodes that are not running, with their ledgers as they are. Either way it returns once every
 * node reports the channel running ({@link NodeReadiness}), or fails with what went wrong and what to do.
 *
 * <p>Nothing is started before every port the nodes need has been found free. A failure after nodes were started
 * stops the nodes this invocation started, so a failed {@code up} leaves nothing of its own running.
 */
final class NetworkUp {
    /** Organisations at most: one node JVM each, on one machine. 10 is the largest BFT size (3f+1) that fits. */
    static final int ORGS_MAX = 10;
    static final int BASE_PORT_MIN = 1024;
    static final String DEFAULT_CHANNEL = "mychannel";
    static final int DEFAULT_BASE_PORT = 7050;
    /** How far {@link #suggestBasePort} moves the base per attempt, and how many attempts it makes. */
    private static final int SUGGESTION_STEP = 1_000;
    private static final int SUGGESTION_ATTEMPTS_MAX = 20;

    /**
     * What the operator asked for. {@code orgs}, {@code channel} and {@code basePort} are null when not given: a new
     * network needs {@code orgs} and takes defaults for the others; a resumed one must not be given different ones.
     */
    record Request(Path dir, Integer orgs, String channel, Integer basePort, int usersPerOrg, long readyTimeoutMillis,
                   String chaincodeLogLevel, List<String> orgNames) {}

    private final NodeLauncher launcher;
    private final PrintStream out;

    NetworkUp(NodeLauncher launcher, PrintStream out) {
        this.launcher = launcher;
        this.out = out;
    }

    /** Runs the command; failures are thrown as {@link CommandFailure}. */
    int run(Request request) throws InterruptedException {
        Path dir = request.dir().toAbsolutePath().normalize();
        return NetworkDescription.exists(dir) ? resume(dir, request) : create(dir, request);
    }

    private int create(Path dir, Request request) throws InterruptedException {
        refuseNonEmpty(dir);
        List<String> names = orgNames(request, dir);
        int orgs = names.size();
        String channel = request.channel() == null ? DEFAULT_CHANNEL : request.channel();
        int basePort = request.basePort() == null ? DEFAULT_BASE_PORT : request.basePort();
        checkChannel(channel);
        checkBasePort(basePort, orgs);
        checkUsers(request.usersPerOrg());
        String chaincodeYaml = chaincodeYaml(request.chaincodeLogLevel());
        List<String> busy = busyPorts(portsOfNewNetwork(basePort, orgs));
        if (!busy.isEmpty()) {
            throw new CommandFailure(ExitCodes.CONFLICT, "network up: " + String.join("; ", busy)
                    + ". Nothing was started. Choose another base port: " + suggestBasePort(basePort, orgs)
                    + " (the network uses ports base+i, base+100+i, ..., base+400+i for i < " + orgs + ").");
        }
        long startNanos = System.nanoTime();
        out.printf("[1/3] writing identities, channel %s's genesis block and %d node configurations in %s%n",
                channel, orgs, dir);
        LocalNetwork.Layout layout = LocalNetwork.write(dir, names, channel, basePort, request.usersPerOrg(),
                ChannelProfile.BatchParameters.DEFAULTS, "", chaincodeYaml);
        NetworkDescription description = describe(layout);
        out.printf("      done in %.1f s%n", secondsSince(startNanos));
        return startAndAwait(dir, description, description.nodes(), request.readyTimeoutMillis(), startNanos);
    }

    private int resume(Path dir, Request request) throws InterruptedException {
        NetworkDescription description = readDescription(dir);
        refuseDifferentShape(dir, description, request);
        List<NodeProcessState> states = description.nodes().stream().map(NodeProcessState::of).toList();
        List<NetworkDescription.Node> stopped = states.stream().filter(s -> !s.running())
                .map(NodeProcessState::node).toList();
        if (stopped.isEmpty()) {
            throw new CommandFailure(ExitCodes.CONFLICT, "network up: the network in " + dir + " is already running ("
                    + states.stream().map(s -> s.node().name() + " pid " + s.node().pid()).toList()
                    + "); nothing started. 'banyan network status --dir " + dir + "' shows it, 'banyan network down"
                    + " --dir " + dir + "' stops it.");
        }
        List<String> busy = busyPorts(stopped);
        if (!busy.isEmpty()) {
            throw new CommandFailure(ExitCodes.CONFLICT, "network up: " + String.join("; ", busy)
                    + ". Nothing was started. The ports of an existing network are fixed in its genesis block: stop"
                    + " what holds them (ss -ltnp shows it) and run network up again.");
        }
        out.printf("[1/3] resuming the network in %s: channel %s, %d node(s) to start, identities and ledgers kept%n",
                dir, description.channel(), stopped.size());
        for (NodeProcessState state : states) {
            if (state.running()) {
                out.printf("      %s already running (pid %d): left as it is%n", state.node().name(),
                        state.node().pid());
            }
        }
        return startAndAwait(dir, description, stopped, request.readyTimeoutMillis(), System.nanoTime());
    }

    /** Starts {@code toStart}, records their PIDs in network.json, waits until every node is ready, prints how to use it. */
    private int startAndAwait(Path dir, NetworkDescription description, List<NetworkDescription.Node> toStart,
            long readyTimeoutMillis, long startNanos) throws InterruptedException {
        out.printf("[2/3] starting %d node(s) in the background%n", toStart.size());
        List<NodeReadiness.Started> started = new ArrayList<>();
        NetworkDescription current = description;
        try {
            for (NetworkDescription.Node node : toStart) {
                long logOffset = Files.exists(node.logs()) ? Files.size(node.logs()) : 0;
                Process process = launcher.start(node.config(), node.logs(), node.config().resolveSibling("tmp"));
                NetworkDescription.Node running = node.withPid(process.pid());
                started.add(new NodeReadiness.Started(running, process, logOffset));
                current = current.with(running);
                out.printf("      %s: pid %d, log %s%n", node.name(), process.pid(), node.logs());
            }
        } catch (IOException | UncheckedIOException e) {
            stopStarted(started);
            throw new CommandFailure(ExitCodes.FAILURE, "network up: " + e.getMessage());
        } finally {
            // Written even if a start failed, so that 'network down' finds whatever did start.
            current.write(dir);
        }
        out.printf("[3/3] waiting until channel %s runs on every node (at most %d s)%n", current.channel(),
                readyTimeoutMillis / 1000);
        try (NodeProbe probe = new NodeProbe()) {
            new NodeReadiness(probe, out).await(current, started, readyTimeoutMillis, startNanos);
        } catch (CommandFailure failure) {
            stopStarted(started);
            throw new CommandFailure(failure.exitCode(), failure.getMessage() + "\nStopped the " + started.size()
                    + " node(s) this command started. Fix the cause and run 'banyan network up --dir " + dir
                    + "' again: it resumes.");
        }
        printSummary(dir, current, secondsSince(startNanos));
        return ExitCodes.OK;
    }

    private void stopStarted(List<NodeReadiness.Started> started) throws InterruptedException {
        NodeStopper.stop(started.stream().map(s -> NodeProcessState.of(s.node())).toList());
    }

    private void printSummary(Path dir, NetworkDescription network, double seconds) {
        out.printf("%nnetwork up: channel %s runs on %d node(s), ready in %.1f s%n%n", network.channel(),
                network.nodes().size(), seconds);
        String row = "  %-9s %-20s %-24s %s%n";
        out.printf(row, "ORG", "GATEWAY (gRPC, TLS)", "REST", "OPERATIONS");
        for (int i = 0; i < network.orgs().size(); i++) {
            NetworkDescription.Org org = network.orgs().get(i);
            out.printf(row, org.mspId(), org.gateway(), org.rest(), network.nodes().get(i).operations());
        }
        out.printf("%n  identities   %s (admin and users per organisation; each file is listed in network.json)%n",
                dir.resolve("crypto"));
        out.printf("  TLS roots    tlsRootCert of each organisation in network.json%n");
        out.printf("  REST keys    banyan apikey create --dir %s --org %s   (REST requests need one)%n", dir,
                network.orgs().getFirst().mspId());
        out.printf("  logs         %s%n", dir.resolve("nodes").resolve("<org>").resolve("node.log"));
        out.printf("  description  %s%n", NetworkDescription.file(dir));
        out.printf("  status       banyan network status --dir %s%n", dir);
        out.printf("  stop         banyan network down --dir %s   (keeps ledgers; network up --dir resumes)%n", dir);
    }

    /** What network.json says of a freshly written layout; PIDs are filled in as nodes start. */
    static NetworkDescription describe(LocalNetwork.Layout layout) {
        List<NetworkDescription.Org> orgs = new ArrayList<>();
        List<NetworkDescription.Node> nodes = new ArrayList<>();
        for (int i = 0; i < layout.nodes().size(); i++) {
            LocalNetwork.NodeLayout node = layout.nodes().get(i);
            GeneratedOrg generated = layout.crypto().orgs().get(i);
            orgs.add(new NetworkDescription.Org(node.mspId(), "127.0.0.1:" + node.broadcastPort(),
                    "http://127.0.0.1:" + node.restPort(), absolute(node.tlsCaCert()),
                    identity(generated.adminMspDir()), users(generated)));
            String operations = "http://127.0.0.1:" + node.opsPort();
            Path config = absolute(node.configFile());
            nodes.add(new NetworkDescription.Node(node.name(), node.mspId(), 0,
                    config.resolveSibling("node.log"), absolute(NodeConfig.load(config, Map.of()).ledgerDir()),
                    operations + "/metrics", operations, config, new NetworkDescription.Ports(node.consenterPort(),
                    node.broadcastPort(), node.opsPort(), node.chaincodePort(), node.restPort())));
        }
        return new NetworkDescription(layout.channelId(), absolute(layout.genesisBlock()), orgs, nodes);
    }

    private static List<NetworkDescription.User> users(GeneratedOrg org) {
        List<NetworkDescription.User> users = new ArrayList<>();
        for (Path mspDir : org.userMspDirs()) {
            // users/User1@org1.example.com/msp
            String folder = mspDir.getParent().getFileName().toString();
            NetworkDescription.Identity identity = identity(mspDir);
            users.add(new NetworkDescription.User(folder.substring(0, folder.indexOf('@')), identity.cert(),
                    identity.key()));
        }
        return users;
    }

    private static NetworkDescription.Identity identity(Path mspDir) {
        try {
            return new NetworkDescription.Identity(absolute(NetworkCrypto.onlyFile(mspDir.resolve("signcerts"))),
                    absolute(NetworkCrypto.onlyFile(mspDir.resolve("keystore"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the identity in " + mspDir, e);
        }
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static NetworkDescription readDescription(Path dir) {
        try {
            return NetworkDescription.read(dir);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "network up: " + e.getMessage()
                    + ". Fix or remove the file; a new network needs a new --dir.");
        }
    }

    private static void refuseNonEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.NOT_A_NETWORK, "network up: " + dir
                    + " exists and cannot be read as a directory (" + e.getMessage() + "); choose a new --dir.");
        }
        if (!empty) {
            throw new CommandFailure(ExitCodes.NOT_A_NETWORK, "network up: " + dir + " is not a Banyan network (it"
                    + " has no " + NetworkDescription.FILE_NAME + ") and is not empty; nothing was written. Choose a"
                    + " new or empty --dir for a new network (a network up that failed half-way leaves such a"
                    + " directory: delete it and try again).");
        }
    }

    private static void refuseDifferentShape(Path dir, NetworkDescription network, Request request) {
        List<String> differences = new ArrayList<>();
        if (request.orgs() != null && request.orgs() != network.orgs().size()) {
            differences.add("--orgs " + request.orgs() + " (it has " + network.orgs().size() + ")");
        }
        if (request.channel() != null && !request.channel().equals(network.channel())) {
            differences.add("--channel " + request.channel() + " (it has " + network.channel() + ")");
        }
        int basePort = network.nodes().getFirst().ports().consenter();
        if (request.basePort() != null && request.basePort() != basePort) {
            differences.add("--base-port " + request.basePort() + " (it has " + basePort + ")");
        }
        if (request.orgNames() != null && !request.orgNames().stream().map(n -> n + "MSP").toList()
                .equals(network.orgs().stream().map(NetworkDescription.Org::mspId).toList())) {
            differences.add("--org-names " + String.join(",", request.orgNames()) + " (it has "
                    + String.join(",", network.orgs().stream().map(NetworkDescription.Org::mspId).toList()) + ")");
        }
        if (request.chaincodeLogLevel() != null) {
            differences.add("--chaincode-log-level (a resumed network keeps its nodes' node.yaml: set chaincode.logLevel"
                    + " there)");
        }
        if (!differences.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: " + dir + " already holds a network, and "
                    + String.join(", ", differences) + " does not match it. To resume it, leave those options out;"
                    + " for a new network, choose another --dir.");
        }
    }

    /** The {@code chaincode:} keys of every node.yaml of a new network (none: the defaults). */
    private static String chaincodeYaml(String logLevel) {
        if (logLevel == null) {
            return "";
        }
        try {
            ChaincodeLogLevels checked = new ChaincodeLogLevels(logLevel, ChaincodeLogLevels.DEFAULTS.shim());
            return "  logLevel: " + checked.chaincode() + "\n";
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --chaincode-log-level " + logLevel + " is not a"
                    + " level (" + ChaincodeLogLevels.NAMES + ").");
        }
    }

    /** The organisations' names: {@code --org-names}, or Org1..OrgN for {@code --orgs N}; both must agree. */
    private static List<String> orgNames(Request request, Path dir) {
        if (request.orgNames() == null) {
            return CryptoGenerator.defaultNames(checkOrgs(request.orgs(), dir));
        }
        if (request.orgs() != null && request.orgs() != request.orgNames().size()) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --orgs " + request.orgs() + " but --org-names names "
                    + request.orgNames().size() + "; give one of them.");
        }
        if (request.orgNames().size() > ORGS_MAX) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --org-names names " + request.orgNames().size()
                    + " organisations; at most " + ORGS_MAX + " (one node process each on this machine).");
        }
        try {
            CryptoGenerator.checkNames(request.orgNames());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --org-names: " + e.getMessage() + ".");
        }
        return request.orgNames();
    }

    private static int checkOrgs(Integer orgs, Path dir) {
        if (orgs == null) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: " + dir + " holds no network yet, so --orgs N (or"
                    + " --org-names A,B,...) is needed to create one (1 to " + ORGS_MAX + ").");
        }
        if (orgs < 1 || orgs > ORGS_MAX) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --orgs " + orgs + " is out of range: 1 to "
                    + ORGS_MAX + " organisations (one node process each on this machine).");
        }
        return orgs;
    }

    private static void checkChannel(String channel) {
        try {
            ChannelProfile.checkChannelName(channel);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --channel: " + e.getMessage() + ".");
        }
    }

    private static void checkBasePort(int basePort, int orgs) {
        int max = basePortMax(orgs);
        if (basePort < BASE_PORT_MIN || basePort > max) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --base-port " + basePort + " is out of range: "
                    + BASE_PORT_MIN + " to " + max + " for " + orgs + " organisation(s) (the highest port is base+"
                    + (LocalNetwork.PORT_STRIDE * (LocalNetwork.PORTS_PER_NODE - 1)) + "+" + (orgs - 1) + ").");
        }
    }

    private static void checkUsers(int usersPerOrg) {
        if (usersPerOrg < 1 || usersPerOrg > CryptoGenerator.USERS_PER_ORG_MAX) {
            throw new CommandFailure(ExitCodes.USAGE, "network up: --users " + usersPerOrg + " is out of range: 1 to "
                    + CryptoGenerator.USERS_PER_ORG_MAX + ".");
        }
    }

    private static int basePortMax(int orgs) {
        return 65_535 - LocalNetwork.PORT_STRIDE * (LocalNetwork.PORTS_PER_NODE - 1) - (orgs - 1);
    }

    /** Node name → ports of a network not written yet. */
    private static Map<String, List<Integer>> portsOfNewNetwork(int basePort, int orgs) {
        Map<String, List<Integer>> ports = new java.util.LinkedHashMap<>();
        for (int i = 0; i < orgs; i++) {
            ports.put("org" + (i + 1), LocalNetwork.ports(basePort, i));
        }
        return ports;
    }

    private static List<String> busyPorts(List<NetworkDescription.Node> nodes) {
        Map<String, List<Integer>> ports = new java.util.LinkedHashMap<>();
        for (NetworkDescription.Node node : nodes) {
            ports.put(node.name(), node.ports().all());
        }
        return busyPorts(ports);
    }

    /** One phrase per port that cannot be bound: {@code port 7250 (org1's operations port) is in use: <reason>}. */
    private static List<String> busyPorts(Map<String, List<Integer>> portsByNode) {
        List<String> phrases = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> node : portsByNode.entrySet()) {
            List<Integer> ports = node.getValue();
            for (LoopbackPorts.Busy busy : LoopbackPorts.busy(ports)) {
                phrases.add("port " + busy.port() + " (" + node.getKey() + "'s " + NetworkDescription.Ports.NAMES.get(ports.indexOf(busy.port()))
                        + " port) is in use on 127.0.0.1: " + busy.reason());
            }
        }
        return phrases;
    }

    /** A base port whose whole range is free now, or a hint when none of the few tried is. */
    private static String suggestBasePort(int basePort, int orgs) {
        for (int attempt = 1; attempt <= SUGGESTION_ATTEMPTS_MAX; attempt++) {
            int candidate = BASE_PORT_MIN + Math.floorMod(basePort - BASE_PORT_MIN + attempt * SUGGESTION_STEP,
                    basePortMax(orgs) - BASE_PORT_MIN + 1);
            if (busyPorts(portsOfNewNetwork(candidate, orgs)).isEmpty()) {
                return "--base-port " + candidate;
            }
        }
        return "--base-port with a range that is free";
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
