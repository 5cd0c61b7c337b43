package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.samples.assettransfer.AssetTransferMain;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance path on real node processes: {@code network up --orgs 4}, {@code chaincode deploy} of the
 * asset-transfer sample, then a Fabric application written with the unmodified {@code fabric-gateway} 1.5.0 client
 * and configured from {@code network.json} alone (read as plain JSON, as any application would) connects to each
 * organisation's gateway in turn; the CLI's client commands, {@code /metrics}, a REST call with an API key and the
 * CLI's failures follow, and {@code network down} leaves no process behind.
 */
class NetworkApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TX_ID = Pattern.compile("transaction ([0-9a-f]{64}) committed (\\w+) in block (\\d+)");

    /** Kept when the test fails: the nodes' logs are under net/nodes/orgN/node.log. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path temp;

    private final TestProcesses started = new TestProcesses();

    @AfterEach
    void killLeftovers() throws Exception {
        started.killLeftovers();
    }

    private static CliTest.Run banyan(String... args) {
        return CliTest.run(TestProcesses.launchingWith(TestProcesses.testLauncher()), args);
    }

    private static CliTest.Run ok(String... args) {
        CliTest.Run run = banyan(args);
        assertThat(run.exitCode()).as("banyan %s%n%s%s", String.join(" ", args), run.out(), run.err()).isZero();
        return run;
    }

    @Test
    void aFabricApplicationAndTheCliRunOnAFourOrganisationNetwork() throws Exception {
        Path dir = temp.resolve("net");
        String d = dir.toString();
        try {
            ok("network", "up", "--dir", d, "--orgs", "4", "--base-port",
                    Integer.toString(SampleEnvelopes.freeBasePort(4)));
        } finally {
            record(dir);
        }
        try {
            JsonNode network = JSON.readTree(dir.resolve("network.json").toFile());
            long heightBefore = metric(network, "banyan_ledger_height");

            CliTest.Run deploy = ok("chaincode", "deploy", "--dir", d, "--name", "basic", "--jar", sampleJar().toString(),
                    "--mode", "inprocess");
            assertThat(deploy.out()).contains("installed on Org4MSP: basic_1:", "committed basic sequence 1",
                    "ready: basic runs on 4 organisations' nodes");

            for (JsonNode org : network.get("orgs")) {
                fabricApplication(network, org);
            }
            gatewayEndorsesAroundADownNode(dir);
            cliClientCommands(d);
            restWithAnApiKey(d, network);
            assertThat(metric(network, "banyan_ledger_height")).as("the height rises as transactions commit")
                    .isGreaterThan(heightBefore + 5);
            cliFailures(d);
        } finally {
            record(dir);
            CliTest.Run down = banyan("network", "down", "--dir", d);
            assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        }
        for (ProcessHandle process : started.all()) {
            assertThat(process.isAlive()).as("process %d after network down", process.pid()).isFalse();
        }
        CliTest.Run unreachable = banyan("query", "--dir", d, "--name", "basic", "ReadAsset", "x");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.NOT_READY);
        assertThat(unreachable.err()).contains("Is the network up?");
    }

    /** One organisation's user, through that organisation's gateway, configured from network.json only. */
    private void fabricApplication(JsonNode network, JsonNode org) throws Exception {
        String channelName = network.get("channel").asText();
        String mspId = org.get("mspId").asText();
        JsonNode user = org.get("users").get(0);
        String[] hostPort = org.get("gateway").asText().split(":");
        ManagedChannel connection = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                .sslContext(GrpcSslContexts.forClient().trustManager(Path.of(org.get("tlsRootCert").asText()).toFile())
                        .build()).build();
        try (Reader cert = Files.newBufferedReader(Path.of(user.get("cert").asText()));
                Reader key = Files.newBufferedReader(Path.of(user.get("key").asText()));
                Gateway gateway = Gateway.newInstance()
                        .identity(new X509Identity(mspId, Identities.readX509Certificate(cert)))
                        .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key)))
                        .connection(connection)
                        .evaluateOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                        .endorseOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                        .submitOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                        .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                        .connect()) {
            Network channel = gateway.getNetwork(channelName);
            Contract contract = channel.getContract("basic");
            String id = "asset-" + mspId;

            // Submit, then Evaluate.
            contract.submitTransaction("CreateAsset", id, "blue", "5", mspId, "100");
            assertThat(text(contract.evaluateTransaction("ReadAsset", id))).contains("\"Owner\":\"" + mspId + "\"");

            // SubmitAsync: the result at once, the status once committed.
            SubmittedTransaction transfer = contract.newProposal("TransferAsset").addArguments(id, "Buyer-" + mspId)
                    .build().endorse().submitAsync();
            assertThat(text(transfer.getResult())).isEqualTo(mspId);
            var status = transfer.getStatus();
            assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);

            // Chaincode events from the create's block on; a checkpoint resumes after the first.
            long createBlock = status.getBlockNumber() - 1;
            InMemoryCheckpointer checkpointer = new InMemoryCheckpointer();
            ChaincodeEvent first;
            try (CloseableIterator<ChaincodeEvent> events = channel.newChaincodeEventsRequest("basic")
                    .startBlock(Math.max(0, createBlock - 5)).build().getEvents()) {
                do {
                    first = events.next();
                } while (!text(first.getPayload()).contains("\"ID\":\"" + id + "\""));
                assertThat(first.getEventName()).isEqualTo("CreateAsset");
                checkpointer.checkpointChaincodeEvent(first);
            }
            try (CloseableIterator<ChaincodeEvent> events = channel.newChaincodeEventsRequest("basic")
                    .checkpoint(checkpointer).build().getEvents()) {
                ChaincodeEvent next = events.next();
                assertThat(next.getTransactionId()).isNotEqualTo(first.getTransactionId());
                assertThat(next.getBlockNumber()).isGreaterThanOrEqualTo(first.getBlockNumber());
            }

            // Block events: the transfer's block.
            try (CloseableIterator<Block> blocks = channel.newBlockEventsRequest().startBlock(status.getBlockNumber())
                    .build().getEvents()) {
                assertThat(blocks.next().getHeader().getNumber()).isEqualTo(status.getBlockNumber());
            }
        } finally {
            connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * With Org2's node killed, Org1's gateway first plans Org1, Org2 and Org3 (a majority of four, its own first),
     * finds Org2 unreachable and endorses with Org1, Org3 and Org4 instead; the three live consenters order it.
     * {@code network up} then resumes Org2's node with its ledger.
     */
    private void gatewayEndorsesAroundADownNode(Path dir) throws Exception {
        String d = dir.toString();
        ProcessHandle org2 = ProcessHandle.of(NetworkDescription.read(dir).node("org2").pid()).orElseThrow();
        org2.destroyForcibly();
        org2.onExit().get(20, TimeUnit.SECONDS);
        CliTest.Run invoke = ok("invoke", "--dir", d, "--org", "Org1MSP", "--name", "basic", "CreateAsset",
                "while-org2-down", "green", "1", "Eve", "1");
        Matcher committed = TX_ID.matcher(invoke.out());
        assertThat(committed.find()).as(invoke.out()).isTrue();
        assertThat(committed.group(2)).isEqualTo("VALID");
        JsonNode tx = JSON.readTree(ok("tx", "get", "--dir", d, "--org", "Org3MSP", committed.group(1)).out()
                .lines().skip(1).reduce("", (a, b) -> a + b + "\n"));
        assertThat(tx.get("endorsers").toString()).contains("Org1MSP", "Org3MSP", "Org4MSP").doesNotContain("Org2MSP");
        ok("network", "up", "--dir", d);
        record(dir);
    }

    private void cliClientCommands(String d) {
        CliTest.Run invoke = ok("invoke", "--dir", d, "--org", "Org2MSP", "--name", "basic", "CreateAsset", "cli-1",
                "red", "3", "Carol", "7");
        Matcher committed = TX_ID.matcher(invoke.out());
        assertThat(committed.find()).as(invoke.out()).isTrue();
        assertThat(committed.group(2)).isEqualTo("VALID");
        assertThat(ok("query", "--dir", d, "--org", "Org3MSP", "--name", "basic", "ReadAsset", "cli-1").out())
                .contains("\"Owner\":\"Carol\"");
        assertThat(ok("tx", "get", "--dir", d, "--org", "Org4MSP", committed.group(1)).out())
                .contains("block " + committed.group(3), "VALID", "\"chaincode\" : \"basic\"");
        assertThat(ok("block", "get", "--dir", d, committed.group(3)).out()).contains(committed.group(1));
        assertThat(ok("events", "--dir", d, "--name", "basic", "--start-block", committed.group(3), "--max", "1").out())
                .contains("CreateAsset", "cli-1", committed.group(1));
        assertThat(ok("chaincode", "list", "--dir", d, "--org", "Org2MSP").out())
                .contains("basic_1:", "basic  sequence 1");
        // A chaincode error is the chaincode's message, and the command fails.
        CliTest.Run missing = banyan("query", "--dir", d, "--name", "basic", "ReadAsset", "no-such-asset");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("the asset no-such-asset does not exist");
    }

    private void restWithAnApiKey(String d, JsonNode network) throws Exception {
        CliTest.Run created = ok("apikey", "create", "--dir", d, "--org", "Org1MSP");
        Matcher key = Pattern.compile("node keeps only its hash:\\s+(\\S+)").matcher(created.out());
        assertThat(key.find()).as(created.out()).isTrue();
        String base = network.get("orgs").get(0).get("rest").asText();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/channels/" + network.get("channel").asText()
                                + "/chaincodes/basic/evaluate"))
                .header("X-API-Key", key.group(1)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\":\"ReadAsset\",\"args\":[\"cli-1\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("Carol");
    }

    /** Every CLI failure the issue names: a clear message and what to do, a non-zero exit, nothing changed. */
    private void cliFailures(String d) {
        CliTest.Run unknownOrg = banyan("invoke", "--dir", d, "--org", "Org9MSP", "--name", "basic", "ReadAsset", "x");
        assertThat(unknownOrg.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOrg.err()).contains("unknown organisation 'Org9MSP'", "Org1MSP", "Org4MSP");

        CliTest.Run badPolicy = banyan("chaincode", "deploy", "--dir", d, "--name", "other", "--jar",
                sampleJar().toString(), "--policy", "AND('Org1MSP.peer'");
        assertThat(badPolicy.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPolicy.err()).contains("bad policy syntax", "AND('Org1MSP.peer','Org2MSP.peer')");

        CliTest.Run noJar = banyan("chaincode", "deploy", "--dir", d, "--name", "other", "--jar",
                temp.resolve("missing.jar").toString());
        assertThat(noJar.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noJar.err()).contains("jar not found", "missing.jar", "--jar");

        CliTest.Run notANetwork = banyan("query", "--dir", temp.toString(), "--name", "basic", "ReadAsset", "x");
        assertThat(notANetwork.exitCode()).isEqualTo(ExitCodes.NOT_A_NETWORK);
        assertThat(notANetwork.err()).contains("is not a Banyan network", "network up");

        // Nothing above installed or defined anything.
        assertThat(ok("chaincode", "list", "--dir", d).out()).doesNotContain("other");
    }

    private static long metric(JsonNode network, String name) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(network.get("nodes").get(0).get("metrics").asText()))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in /metrics:\n" + metrics);
    }

    /** The sample's packaged jar (its dependencies in lib/ beside it, named in its manifest). */
    static Path sampleJar() {
        try {
            Path location = Path.of(AssetTransferMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(location.toString()).as("the samples module is packaged before cli's tests").endsWith(".jar");
            return location;
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private void record(Path dir) {
        started.record(dir);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
