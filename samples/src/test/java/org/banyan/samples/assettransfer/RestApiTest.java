package org.banyan.samples.assettransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.node.rest.ApiKeys;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.samples.testing.ChaincodeJars;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FabricGatewayTest} does with Fabric's SDK, done over the REST API with an API key and plain HTTP
 * (java.net.http on 127.0.0.1): three nodes, the asset-transfer sample in-process under
 * {@code AND('Org1MSP.peer','Org2MSP.peer')}; evaluate, submit, async submit and its status, blocks, chaincode and
 * block events as server-sent events resumed with {@code Last-Event-ID}, and the errors a client meets first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
    private static final String CHANNEL = "restchannel";
    private static final String CC = "basic";
    private static final int ORGS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REQUEST_BYTES_MAX = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private LocalNetwork.Layout layout;
    private final List<Node> nodes = new ArrayList<>();
    /** Per organisation, an API key acting as its User1. */
    private final List<String> keys = new ArrayList<>();
    private final List<EventStream> streams = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void startNetwork() throws Exception {
        layout = LocalNetwork.write(dir.resolve("net"), ORGS, CHANNEL, SampleEnvelopes.freeBasePort(ORGS), 1,
                new ChannelProfile.BatchParameters(50, 10 << 20, 2 << 20, 100), "", "  javaInProcess: true\n");
        for (LocalNetwork.NodeLayout node : layout.nodes()) {
            NodeConfig config = NodeConfig.load(node.configFile(),
                    Map.of("BANYAN_GATEWAY_REQUEST_BYTES_MAX", Integer.toString(REQUEST_BYTES_MAX)));
            nodes.add(Node.start(config));
            // As `banyan apikey create` does, while the node runs: it reads the new file on the next request.
            keys.add(ApiKeys.create(config.rest().apiKeysFile(), config.rest().walletDir(),
                    "User1@" + node.name(), node.userMspDirs().getFirst(), node.mspId()).key());
        }
        try (NetworkClient admin = new NetworkClient(layout)) {
            admin.deploy(CC, "1.0", 1, NetworkClient.signaturePolicy("AND('Org1MSP.peer','Org2MSP.peer')"),
                    ChaincodeJars.javaPackage("basic_1.0", AssetTransferMain.class), WAIT);
        }
        for (int org = 0; org < ORGS; org++) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            HttpResponse<String> response = evaluate(org, "AssetExists", "none");
            while (response.statusCode() != 200) {
                assertThat(System.nanoTime()).as("org %d evaluates: %s", org + 1, response.body()).isLessThan(deadline);
                Thread.sleep(100);
                response = evaluate(org, "AssetExists", "none");
            }
        }
    }

    @AfterAll
    void stopNetwork() {
        streams.forEach(EventStream::close);
        nodes.forEach(Node::close);
        http.close();
    }

    // --- HTTP ---

    private HttpRequest.Builder request(int org, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + layout.nodes().get(org).restPort() + path))
                .timeout(WAIT).header("X-API-Key", keys.get(org));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chaincodePath(String action) {
        return "/api/channels/" + CHANNEL + "/chaincodes/" + CC + "/" + action;
    }

    private static String invocation(String function, String... args) throws Exception {
        return JSON.writeValueAsString(Map.of("function", function, "args", List.of(args)));
    }

    private HttpResponse<String> evaluate(int org, String function, String... args) throws Exception {
        return send(request(org, chaincodePath("evaluate"))
                .POST(HttpRequest.BodyPublishers.ofString(invocation(function, args))));
    }

    /** Submits and waits for the commit; the answer must be 200 VALID. */
    private JsonNode submit(int org, String function, String... args) throws Exception {
        HttpResponse<String> response = send(request(org, chaincodePath("submit"))
                .POST(HttpRequest.BodyPublishers.ofString(invocation(function, args))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("VALID");
        return body;
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    // --- tests ---

    @Test
    void evaluateAndSubmitOnEveryOrganisationsNode() throws Exception {
        for (int org = 0; org < ORGS; org++) {
            String id = "rest-sync-" + org;
            JsonNode created = submit(org, "CreateAsset", id, "blue", "5", "Org" + (org + 1), "300");
            assertThat(created.path("result").asText()).contains("\"ID\":\"" + id + "\"");
            assertThat(created.path("txId").asText()).hasSize(64);
            assertThat(created.path("blockNumber").asLong()).isPositive();
            JsonNode read = ok(evaluate(org, "ReadAsset", id));
            assertThat(read.path("result").asText()).contains("\"Owner\":\"Org" + (org + 1) + "\"");
            assertThat(new String(java.util.Base64.getDecoder().decode(read.path("resultBase64").asText()),
                    StandardCharsets.UTF_8)).isEqualTo(read.path("result").asText());
        }
    }

    @Test
    void asyncSubmitAnswersAtOnceAndTheStatusOnCommit() throws Exception {
        submit(2, "CreateAsset", "rest-async-1", "red", "1", "Carol", "10");
        HttpResponse<String> response = send(request(2, chaincodePath("submit") + "?async=true")
                .POST(HttpRequest.BodyPublishers.ofString(invocation("TransferAsset", "rest-async-1", "Dave"))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode submitted = JSON.readTree(response.body());
        assertThat(submitted.path("result").asText()).isEqualTo("Carol");
        String txId = submitted.path("txId").asText();
        assertThat(submitted.path("statusUrl").asText()).isEqualTo("/api/channels/" + CHANNEL + "/transactions/" + txId);

        JsonNode status = ok(send(request(2, submitted.path("statusUrl").asText() + "?wait=30")));
        assertThat(status.path("txId").asText()).isEqualTo(txId);
        assertThat(status.path("status").asText()).isEqualTo("VALID");
        assertThat(status.path("valid").asBoolean()).isTrue();
        long block = status.path("blockNumber").asLong();
        assertThat(block).isPositive();
        // Asked on another organisation's node, waiting until it has the block.
        JsonNode elsewhere = ok(send(request(0, "/api/channels/" + CHANNEL + "/transactions/" + txId + "?wait=30")));
        assertThat(elsewhere.path("blockNumber").asLong()).isEqualTo(block);
        assertThat(ok(evaluate(2, "ReadAsset", "rest-async-1")).path("result").asText()).contains("\"Owner\":\"Dave\"");
    }

    @Test
    void blocksAreReadAsJsonOrProtobuf() throws Exception {
        JsonNode created = submit(1, "CreateAsset", "rest-block-1", "black", "1", "Ken", "1");
        long number = created.path("blockNumber").asLong();
        String path = "/api/channels/" + CHANNEL + "/blocks/" + number;
        JsonNode summary = ok(send(request(1, path)));
        assertThat(summary.path("number").asLong()).isEqualTo(number);
        assertThat(summary.path("hash").asText()).hasSize(64);
        assertThat(summary.path("transactions").findValuesAsText("txId")).contains(created.path("txId").asText());
        JsonNode tx = summary.path("transactions").get(0);
        assertThat(tx.path("validationCode").asText()).isEqualTo("VALID");
        assertThat(tx.path("chaincode").asText()).isEqualTo(CC);
        assertThat(tx.path("creatorMspId").asText()).isEqualTo("Org2MSP");

        HttpResponse<byte[]> raw = http.send(request(1, path + "?format=protobuf").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(Block.parseFrom(raw.body()).getHeader().getNumber()).isEqualTo(number);

        JsonNode channel = ok(send(request(1, "/api/channels/" + CHANNEL)));
        assertThat(channel.path("height").asLong()).isGreaterThan(number);
        HttpResponse<String> future = send(request(1, "/api/channels/" + CHANNEL + "/blocks/" + (1L << 40)));
        assertThat(future.statusCode()).isEqualTo(404);
        assertThat(future.body()).contains("not committed");
    }

    @Test
    void chaincodeEventsResumeAfterTheLastEventId() throws Exception {
        long start = submit(1, "CreateAsset", "rest-event-1", "white", "1", "Ivan", "1").path("blockNumber").asLong();
        submit(1, "CreateAsset", "rest-event-2", "white", "1", "Judy", "1");
        submit(1, "TransferAsset", "rest-event-2", "Mallory");

        String lastId;
        try (EventStream events = open(1, chaincodePath("events") + "?startBlock=" + start, null)) {
            Event first = events.next();
            assertThat(first.event()).isEqualTo("chaincode");
            JsonNode data = JSON.readTree(first.data());
            assertThat(data.path("eventName").asText()).isEqualTo("CreateAsset");
            assertThat(data.path("payload").asText()).contains("rest-event-1");
            assertThat(data.path("blockNumber").asLong()).isEqualTo(start);
            assertThat(first.id()).isEqualTo(start + ":" + data.path("txId").asText());
            lastId = first.id();
        }
        // A new stream from the checkpoint starts with the event after it, not the same one.
        try (EventStream events = open(1, chaincodePath("events") + "?startBlock=" + start, lastId)) {
            Event next = events.next();
            assertThat(next.id()).isNotEqualTo(lastId);
            JsonNode data = JSON.readTree(next.data());
            assertThat(data.path("eventName").asText()).isEqualTo("CreateAsset");
            assertThat(data.path("payload").asText()).contains("rest-event-2");
            JsonNode transfer = JSON.readTree(events.next().data());
            assertThat(transfer.path("eventName").asText()).isEqualTo("TransferAsset");
            assertThat(transfer.path("payload").asText()).contains("Mallory");
            // Events of transactions committed while the stream is open arrive too.
            submit(1, "CreateAsset", "rest-event-3", "white", "1", "Niaj", "1");
            assertThat(JSON.readTree(events.next().data()).path("payload").asText()).contains("rest-event-3");
        }
    }

    @Test
    void blockEventsFollowTheChainAndResume() throws Exception {
        long first = submit(0, "CreateAsset", "rest-blocks-1", "grey", "1", "Olivia", "1").path("blockNumber").asLong();
        String secondTx = submit(0, "CreateAsset", "rest-blocks-2", "grey", "1", "Peggy", "1").path("txId").asText();
        try (EventStream blocks = open(0, "/api/channels/" + CHANNEL + "/blocks?startBlock=" + first, null)) {
            Event block = blocks.next();
            assertThat(block.event()).isEqualTo("block");
            assertThat(block.id()).isEqualTo(Long.toString(first));
            assertThat(JSON.readTree(block.data()).path("number").asLong()).isEqualTo(first);
        }
        try (EventStream blocks = open(0, "/api/channels/" + CHANNEL + "/blocks", Long.toString(first))) {
            List<String> txIds = new ArrayList<>();
            Event next = blocks.next();
            assertThat(next.id()).isEqualTo(Long.toString(first + 1));
            JSON.readTree(next.data()).path("transactions").findValuesAsText("txId").forEach(txIds::add);
            // The second transaction is in the next block or, if ordered with others, one of the following.
            while (!txIds.contains(secondTx)) {
                JSON.readTree(blocks.next().data()).path("transactions").findValuesAsText("txId").forEach(txIds::add);
            }
        }
    }

    @Test
    void aChaincodeErrorIsUnprocessableWithTheChaincodesMessage() throws Exception {
        HttpResponse<String> response = evaluate(0, "ReadAsset", "no-such-asset");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("details").toString()).contains("the asset no-such-asset does not exist");
    }

    @Test
    void requestsWithoutAKeyAreUnauthorized() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + layout.nodes().getFirst().restPort() + chaincodePath("evaluate"))).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(invocation("AssetExists", "x"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("UNAUTHENTICATED");
        // Another node's key is not this node's.
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + layout.nodes().getFirst().restPort() + "/api/channels/" + CHANNEL)).timeout(WAIT)
                .header("X-API-Key", keys.get(1)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(401);
    }

    @Test
    void anOversizedBodyIsRefusedWithTheLimit() throws Exception {
        String huge = invocation("AssetExists", "x".repeat(REQUEST_BYTES_MAX + 1));
        HttpResponse<String> response = send(request(1, chaincodePath("evaluate"))
                .POST(HttpRequest.BodyPublishers.ofString(huge)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains(Integer.toString(REQUEST_BYTES_MAX));
        assertThat(ok(evaluate(1, "AssetExists", "none")).path("result").asText()).isEqualTo("false");
    }

    @Test
    void anUnknownChannelIsNotFound() throws Exception {
        HttpResponse<String> response = send(request(0, "/api/channels/nosuchchannel/chaincodes/" + CC + "/evaluate")
                .POST(HttpRequest.BodyPublishers.ofString(invocation("AssetExists", "x"))));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> events = send(request(0, "/api/channels/nosuchchannel/blocks"));
        assertThat(events.statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentIsServedWithoutAKey() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + layout.nodes().get(2).restPort() + "/api/openapi.json")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("paths").has("/api/channels/{channel}/chaincodes/{chaincode}/submit"))
                .isTrue();
    }

    // --- server-sent events ---

    /** One server-sent event. */
    private record Event(String id, String event, String data) {}

    /** Opens a stream (200 expected) and reads its events on a thread of its own, so every wait is bounded. */
    private EventStream open(int org, String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = request(org, path).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new AssertionError(response.statusCode() + ": " + new String(body.readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        EventStream stream = new EventStream(response.body());
        streams.add(stream);
        return stream;
    }

    /** Parses {@code id:}, {@code event:}, {@code data:} lines; comments are skipped. */
    private static final class EventStream implements AutoCloseable {
        private final InputStream body;
        private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(1_000);
        private final Thread reader;

        EventStream(InputStream body) {
            this.body = body;
            this.reader = Thread.ofPlatform().daemon().name("sse-reader").start(this::read);
        }

        private void read() {
            String id = null;
            String event = null;
            String data = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (data != null && !events.offer(new Event(id, event, data))) {
                            return;
                        }
                        event = null;
                        data = null;
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = line.substring(6);
                    }
                }
            } catch (java.io.IOException e) {
                // closed
            }
        }

        Event next() throws InterruptedException {
            Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("an event within %s", WAIT).isNotNull();
            assertThat(event.event()).as(event.data()).isNotEqualTo("end");
            return event;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (java.io.IOException e) {
                // going anyway
            }
            reader.interrupt();
        }
    }
}
