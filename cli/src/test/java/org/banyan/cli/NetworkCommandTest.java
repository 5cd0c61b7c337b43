package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.node.orderer.BroadcastClient;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code banyan network up | status | down}, run in-process as an operator runs them. One test starts a real
 * four-organisation network (nodes on the test's class path) and takes it through up, status, down, up (resume) and
 * down; the others check the failures without starting nodes, or with stand-in processes ({@code sh}, {@code sleep})
 * where a process is needed. Every process a test starts is recorded and killed at the end if still alive.
 */
class NetworkCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HOST_PORT = Pattern.compile("127\\.0\\.0\\.1:\\d+");

    @TempDir
    Path temp;

    /** Every PID a test saw started, killed in {@link #killLeftovers()} if still alive. */
    private final TestProcesses started = new TestProcesses();

    @AfterEach
    void killLeftovers() throws Exception {
        started.killLeftovers();
    }

    private CliTest.Run network(String... args) {
        return network(TestProcesses.testLauncher(), args);
    }

    private CliTest.Run network(NodeLauncher launcher, String... args) {
        List<String> all = new ArrayList<>(List.of("network"));
        all.addAll(List.of(args));
        return CliTest.run(TestProcesses.launchingWith(launcher), all.toArray(String[]::new));
    }

    private void record(Path dir) {
        started.record(dir);
    }

    @Test
    void fourOrganisationsUpStatusDownResumeDown() throws Exception {
        Path dir = temp.resolve("net");
        int basePort = SampleEnvelopes.freeBasePort(4);
        try {
            long startNanos = System.nanoTime();
            CliTest.Run up = network("up", "--dir", dir.toString(), "--orgs", "4", "--base-port",
                    Integer.toString(basePort));
            double upSeconds = (System.nanoTime() - startNanos) / 1e9;
            record(dir);
            assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
            System.out.printf("network up --orgs 4: %.1f s%n%s", upSeconds, up.out());
            assertThat(up.out()).contains("[1/3]", "[2/3]", "[3/3]", "org4 ready", "network down --dir");

            NetworkDescription first = checkNetworkJson(dir, 4);
            for (NetworkDescription.Node node : first.nodes()) {
                assertThat(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive)).contains(true);
            }
            checkEndpointsAnswer(first);

            CliTest.Run status = network("status", "--dir", dir.toString());
            assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
            assertThat(status.out().lines().filter(line -> line.contains(" running ") && line.contains(" ok ")))
                    .hasSize(4);

            submitThroughTheGateway(first, 20);
            Map<String, Long> heights = awaitHeights(first, 2);
            byte[] genesis = Files.readAllBytes(first.genesisBlock());
            List<ProcessHandle> firstProcesses = processesAndDescendants(first);
            CliTest.Run down = network("down", "--dir", dir.toString());
            assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
            assertThat(down.out()).contains("4 node(s) stopped");
            assertThat(firstProcesses).noneMatch(ProcessHandle::isAlive);

            CliTest.Run stopped = network("status", "--dir", dir.toString());
            assertThat(stopped.exitCode()).isEqualTo(ExitCodes.NOT_READY);
            assertThat(stopped.err()).contains("org1: pid " + first.node("org1").pid() + " has exited",
                    "network up --dir");

            CliTest.Run resume = network("up", "--dir", dir.toString());
            record(dir);
            assertThat(resume.exitCode()).as(resume.out() + resume.err()).isZero();
            assertThat(resume.out()).contains("resuming", "identities and ledgers kept");
            NetworkDescription second = checkNetworkJson(dir, 4);
            assertThat(Files.readAllBytes(second.genesisBlock())).isEqualTo(genesis);
            assertThat(second.orgs()).isEqualTo(first.orgs());
            Map<String, Long> resumedHeights = heights(second);
            for (Map.Entry<String, Long> height : heights.entrySet()) {
                assertThat(resumedHeights.get(height.getKey())).as(height.getKey()).isGreaterThanOrEqualTo(
                        height.getValue());
            }

            CliTest.Run twice = network("up", "--dir", dir.toString());
            assertThat(twice.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(twice.err()).contains("already running", "network down --dir");
            assertThat(NetworkDescription.read(dir)).isEqualTo(second);

            List<ProcessHandle> secondProcesses = processesAndDescendants(second);
            CliTest.Run downAgain = network("down", "--dir", dir.toString());
            assertThat(downAgain.exitCode()).as(downAgain.out() + downAgain.err()).isZero();
            assertThat(secondProcesses).noneMatch(ProcessHandle::isAlive);
        } finally {
            record(dir);
            network("down", "--dir", dir.toString());
        }
    }

    /** network.json has the documented shape, every path is absolute and exists, and it reads back. */
    private static NetworkDescription checkNetworkJson(Path dir, int orgs) throws IOException {
        JsonNode json = JSON.readTree(dir.resolve("network.json").toFile());
        assertThat(json.path("channel").asText()).isEqualTo("mychannel");
        assertThat(json.path("orgs")).hasSize(orgs);
        assertThat(json.path("nodes")).hasSize(orgs);
        for (int i = 0; i < orgs; i++) {
            JsonNode org = json.path("orgs").get(i);
            assertThat(org.path("mspId").asText()).isEqualTo("Org" + (i + 1) + "MSP");
            assertThat(org.path("gateway").asText()).matches(HOST_PORT);
            assertThat(org.path("rest").asText()).matches("http://" + HOST_PORT);
            assertExistingAbsolute(org.path("tlsRootCert"));
            assertExistingAbsolute(org.path("admin").path("cert"));
            assertExistingAbsolute(org.path("admin").path("key"));
            assertThat(org.path("users")).hasSize(1);
            assertThat(org.path("users").get(0).path("name").asText()).isEqualTo("User1");
            assertExistingAbsolute(org.path("users").get(0).path("cert"));
            assertExistingAbsolute(org.path("users").get(0).path("key"));

            JsonNode node = json.path("nodes").get(i);
            assertThat(node.path("name").asText()).isEqualTo("org" + (i + 1));
            assertThat(node.path("mspId").asText()).isEqualTo("Org" + (i + 1) + "MSP");
            assertThat(node.path("pid").asLong()).isPositive();
            assertExistingAbsolute(node.path("logs"));
            assertExistingAbsolute(node.path("ledger"));
            assertExistingAbsolute(node.path("config"));
            assertThat(node.path("metrics").asText()).matches("http://" + HOST_PORT + "/metrics");
        }
        NetworkDescription description = NetworkDescription.read(dir);
        assertThat(description.nodes()).hasSize(orgs);
        return description;
    }

    private static void assertExistingAbsolute(JsonNode path) {
        assertThat(path.isTextual()).as("a path: %s", path).isTrue();
        assertThat(Path.of(path.asText())).isAbsolute().exists();
    }

    /**
     * Each node's operations endpoint is ready and serves its metrics; each organisation's gateway port accepts
     * connections and its REST API serves its (key-less) OpenAPI document.
     */
    private static void checkEndpointsAnswer(NetworkDescription network) throws Exception {
        try (NodeProbe probe = new NodeProbe(); HttpClient http = HttpClient.newHttpClient()) {
            for (NetworkDescription.Node node : network.nodes()) {
                assertThat(probe.probe(node.operations(), network.channel()).ready()).as(node.name()).isTrue();
                assertThat(get(http, node.metrics())).as(node.metrics()).isEqualTo(200);
            }
            for (NetworkDescription.Org org : network.orgs()) {
                String[] hostPort = org.gateway().split(":");
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2_000);
                }
                assertThat(get(http, org.rest() + "/api/openapi.json")).as(org.rest()).isEqualTo(200);
            }
        }
    }

    private static int get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Broadcasts {@code count} transactions signed by Org1's User1 to Org1's gateway, as a client of network.json
     * would: its address, its TLS root and the user's files. They carry no endorsements (they commit as invalid), so
     * they need no chaincode; each is ordered into a block all the same.
     */
    private static void submitThroughTheGateway(NetworkDescription network, int count) throws Exception {
        NetworkDescription.Org org = network.orgs().getFirst();
        LocalSigningIdentity user = LocalSigningIdentity.load(org.user("User1").cert().getParent().getParent(),
                org.mspId());
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(SampleEnvelopes.write(network.channel(), user, i, 16, List.of()));
        }
        String[] hostPort = org.gateway().split(":");
        try (BroadcastClient client = new BroadcastClient(hostPort[0], Integer.parseInt(hostPort[1]),
                org.tlsRootCert())) {
            assertThat(client.broadcast(envelopes, 20_000)).allMatch(r -> r.getStatus() == Status.SUCCESS);
        }
    }

    /** The heights once every node holds at least {@code heightMin} blocks (bounded wait). */
    private static Map<String, Long> awaitHeights(NetworkDescription network, long heightMin) throws Exception {
        long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Long> heights = heights(network);
        while (heights.values().stream().anyMatch(h -> h < heightMin) && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
            heights = heights(network);
        }
        assertThat(heights.values()).as("heights %s", heights).allMatch(h -> h >= heightMin);
        return heights;
    }

    private static Map<String, Long> heights(NetworkDescription network) {
        Map<String, Long> heights = new HashMap<>();
        try (NodeProbe probe = new NodeProbe()) {
            for (NetworkDescription.Node node : network.nodes()) {
                heights.put(node.name(), probe.probe(node.operations(), network.channel()).channel().height());
            }
        }
        return heights;
    }

    private static List<ProcessHandle> processesAndDescendants(NetworkDescription network) {
        List<ProcessHandle> processes = new ArrayList<>();
        for (NetworkDescription.Node node : network.nodes()) {
            ProcessHandle process = ProcessHandle.of(node.pid()).orElseThrow();
            processes.add(process);
            processes.addAll(process.descendants().toList());
        }
        return processes;
    }

    @Test
    void aPortInUseIsNamedBeforeAnythingIsWritten() throws Exception {
        Path dir = temp.resolve("busy");
        int basePort = SampleEnvelopes.freeBasePort(4);
        int org3Operations = basePort + 200 + 2;
        try (ServerSocket taken = new ServerSocket(org3Operations, 1, InetAddress.getLoopbackAddress())) {
            CliTest.Run up = network("up", "--dir", dir.toString(), "--orgs", "4", "--base-port",
                    Integer.toString(basePort));
            assertThat(up.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(up.err()).contains("port " + org3Operations + " (org3's operations port) is in use",
                    "Nothing was started", "--base-port ");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aDirectoryWithoutNetworkJsonIsNotANetwork() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        for (String command : List.of("status", "down")) {
            CliTest.Run run = network(command, "--dir", empty.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.NOT_A_NETWORK);
            assertThat(run.err()).as(command).contains("is not a Banyan network", "network.json", "network up");
        }
        Path other = Files.createDirectories(temp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "not a network");
        CliTest.Run up = network("up", "--dir", other.toString(), "--orgs", "1");
        assertThat(up.exitCode()).isEqualTo(ExitCodes.NOT_A_NETWORK);
        assertThat(up.err()).contains("is not a Banyan network", "new or empty --dir");
        assertThat(other).isDirectoryContaining(p -> p.getFileName().toString().equals("notes.txt"));
        assertThat(Files.list(other).count()).isEqualTo(1);
    }

    @Test
    void organisationCountsOutOfRangeAreUsageErrors() {
        Path dir = temp.resolve("net");
        for (String orgs : List.of("0", "-1", Integer.toString(NetworkUp.ORGS_MAX + 1))) {
            CliTest.Run up = network("up", "--dir", dir.toString(), "--orgs", orgs);
            assertThat(up.exitCode()).as(orgs).isEqualTo(ExitCodes.USAGE);
            assertThat(up.err()).as(orgs).contains("--orgs " + orgs + " is out of range: 1 to " + NetworkUp.ORGS_MAX);
        }
        CliTest.Run notANumber = network("up", "--dir", dir.toString(), "--orgs", "four");
        assertThat(notANumber.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliTest.Run missing = network("up", "--dir", dir.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--orgs N (or --org-names A,B,...) is needed");
        CliTest.Run badName = network("up", "--dir", dir.toString(), "--org-names", "Bank A,BankB");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("organisation name 'Bank A' must be a letter then up to 31 letters");
        CliTest.Run twice = network("up", "--dir", dir.toString(), "--org-names", "BankA,banka");
        assertThat(twice.err()).contains("organisation name 'banka' is given twice");
        CliTest.Run disagree = network("up", "--dir", dir.toString(), "--orgs", "3", "--org-names", "A,B");
        assertThat(disagree.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(disagree.err()).contains("--orgs 3 but --org-names names 2");
        CliTest.Run badChannel = network("up", "--dir", dir.toString(), "--orgs", "1", "--channel", "My_Channel");
        assertThat(badChannel.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliTest.Run badPort = network("up", "--dir", dir.toString(), "--orgs", "4", "--base-port", "65200");
        assertThat(badPort.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPort.err()).contains("--base-port 65200 is out of range");
        assertThat(dir).doesNotExist();
    }

    @Test
    void resumingWithOtherOptionsIsRefused() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("net"));
        fixture(dir, 2, List.of(deadPid(), deadPid()));
        CliTest.Run up = network("up", "--dir", dir.toString(), "--orgs", "3", "--channel", "other");
        assertThat(up.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(up.err()).contains("--orgs 3 (it has 2)", "--channel other (it has mychannel)",
                "leave those options out");
        CliTest.Run named = network("up", "--dir", dir.toString(), "--org-names", "Org1,Bank");
        assertThat(named.err()).contains("--org-names Org1,Bank (it has Org1MSP,Org2MSP)");
    }

    @Test
    void downSignalsNoReusedPidAndStopsWhatANodeLeftBehind() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("net"));
        Path config = dir.resolve("nodes/org1/node.yaml");
        // Stand-in for a node: its command line ends as a node's does; it leaves a child behind when it dies.
        List<String> command = new ArrayList<>(List.of("bash", "-c", "sleep 600 & wait"));
        command.addAll(NodeLauncher.nodeArguments(config));
        Process node = start(new ProcessBuilder(command));
        // org2's recorded PID now belongs to another program.
        Process stranger = start(new ProcessBuilder("sleep", "600"));
        awaitDescendant(node.toHandle());
        List<ProcessHandle> leftBehind = node.toHandle().descendants().toList();
        fixture(dir, 2, List.of(node.pid(), stranger.pid()));

        CliTest.Run down = network("down", "--dir", dir.toString());

        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(node.isAlive()).isFalse();
        assertThat(leftBehind).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(down.out()).contains("org1: stopped", "processes it started that outlived it were stopped",
                "org2: not stopped, pid " + stranger.pid() + " now runs another program", "left alone");
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void aNodeThatExitsIsReportedWithItsLog() throws Exception {
        Path dir = temp.resolve("net");
        NodeLauncher failing = standIn("echo 'boom: cannot open the ledger'; exit 3");
        CliTest.Run up = network(failing, "up", "--dir", dir.toString(), "--orgs", "1", "--base-port",
                Integer.toString(SampleEnvelopes.freeBasePort(1)));
        record(dir);
        assertThat(up.exitCode()).isEqualTo(ExitCodes.NOT_READY);
        assertThat(up.err()).contains("org1 exited with code 3 before it was ready",
                dir.resolve("nodes/org1/node.log").toString(), "boom: cannot open the ledger",
                "run 'banyan network up --dir");
    }

    @Test
    void aNodeThatIsNotReadyInTimeIsStoppedAndItsLogShown() throws Exception {
        Path dir = temp.resolve("net");
        // The stand-in leaves a child behind when it dies, as a node's chaincode could; it logs the child's PID.
        NodeLauncher hanging = standIn("echo 'waiting for peers'; sleep 600 & echo \"child $!\"; wait");
        CliTest.Run up = network(hanging, "up", "--dir", dir.toString(), "--orgs", "1", "--base-port",
                Integer.toString(SampleEnvelopes.freeBasePort(1)), "--ready-timeout-seconds", "1");
        record(dir);
        Path log = dir.resolve("nodes/org1/node.log");
        long child = Long.parseLong(Files.readAllLines(log).stream().filter(line -> line.startsWith("child "))
                .findFirst().orElseThrow().substring("child ".length()));
        ProcessHandle.of(child).ifPresent(started::add);
        assertThat(up.exitCode()).isEqualTo(ExitCodes.NOT_READY);
        assertThat(up.err()).contains("[org1] did not become ready within 1 s", "does not answer", log.toString(),
                "waiting for peers", "--ready-timeout-seconds", "Stopped the 1 node(s) this command started");
        long pid = NetworkDescription.read(dir).node("org1").pid();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the stand-in node").isEmpty();
        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).as("its child").isEmpty();
    }

    /** A launcher that runs {@code sh -c script} where a node's JVM would run, with a node's arguments after it. */
    private static NodeLauncher standIn(String script) {
        return new NodeLauncher(Path.of("/bin/sh"), System.getProperty("java.class.path"), List.of("-c", script));
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process.toHandle());
        return process;
    }

    private void awaitDescendant(ProcessHandle process) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && process.descendants().findAny().isEmpty(); attempt++) {
            Thread.sleep(20);
        }
        started.addAll(process.descendants().toList());
    }

    /** A PID no process has now (a short-lived process that has exited). */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor(10, TimeUnit.SECONDS);
        return process.pid();
    }

    /** Writes a network.json for {@code orgs} organisations whose nodes are recorded with {@code pids}. */
    static NetworkDescription fixture(Path dir, int orgs, List<Long> pids) {
        List<NetworkDescription.Org> orgList = new ArrayList<>();
        List<NetworkDescription.Node> nodes = new ArrayList<>();
        for (int i = 0; i < orgs; i++) {
            String name = "org" + (i + 1);
            Path nodeDir = dir.resolve("nodes").resolve(name);
            NetworkDescription.Identity admin = new NetworkDescription.Identity(nodeDir.resolve("admin.pem"),
                    nodeDir.resolve("admin.key"));
            orgList.add(new NetworkDescription.Org("Org" + (i + 1) + "MSP", "127.0.0.1:" + (7150 + i),
                    "http://127.0.0.1:" + (7450 + i), nodeDir.resolve("ca.crt"), admin, List.of()));
            nodes.add(new NetworkDescription.Node(name, "Org" + (i + 1) + "MSP", pids.get(i),
                    nodeDir.resolve("node.log"), nodeDir.resolve("data/ledgers"),
                    "http://127.0.0.1:" + (7250 + i) + "/metrics", "http://127.0.0.1:" + (7250 + i),
                    nodeDir.resolve("node.yaml"), new NetworkDescription.Ports(7050 + i, 7150 + i, 7250 + i, 7350 + i,
                    7450 + i)));
        }
        NetworkDescription description = new NetworkDescription("mychannel", dir.resolve("mychannel.block"), orgList,
                nodes);
        description.write(dir);
        return description;
    }
}
