package org.banyan.node.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.sign.KeyType;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of the REST API on a real socket (127.0.0.1), over a gateway that hosts no channel: what every
 * request goes through before the gateway — routes, API keys, limits, bodies, error shapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestServerTest {
    private static final int REQUEST_BYTES_MAX = 4_096;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private GeneratedNetwork crypto;
    private Path keysFile;
    private Path wallet;
    private Gateway gateway;
    private RestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    @BeforeAll
    void start() {
        crypto = CryptoGenerator.generate(dir.resolve("crypto"), 1, KeyType.ECDSA_P256, 1);
        keysFile = dir.resolve("rest/apikeys.json");
        wallet = dir.resolve("rest/wallet");
        gateway = new Gateway("Org1MSP", Gateway.network(channel -> Optional.empty(), (channel, msp) -> Optional.empty()),
                new NodeConfig.GatewaySettings(1_000, 1_000, REQUEST_BYTES_MAX, 64, 1_000, 1_000), Instant::now);
        server = new RestServer(settings(), gateway, RestServer.Options.DEFAULTS).start();
    }

    private NodeConfig.RestSettings settings() {
        return new NodeConfig.RestSettings(new InetSocketAddress("127.0.0.1", 0), keysFile, wallet);
    }

    @AfterAll
    void stop() {
        server.close();
        gateway.close();
        http.close();
    }

    /** A key made while the server runs: the server reads the changed file on the next request. */
    private String newKey() {
        return ApiKeys.create(keysFile, wallet, "User1", crypto.orgs().getFirst().userMspDirs().getFirst(), "Org1MSP")
                .key();
    }

    private HttpRequest.Builder request(RestServer target, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path)).timeout(TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("details").isArray()).isTrue();
        return body;
    }

    @Test
    void theOpenApiDocumentIsPublic() throws Exception {
        HttpResponse<String> response = send(request(server, "/api/openapi.json"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("openapi").asText()).isEqualTo("3.0.3");
    }

    @Test
    void everyOtherRouteNeedsAKnownKey() throws Exception {
        JsonNode missing = error(send(request(server, "/api/channels/mychannel")), 401, "UNAUTHENTICATED");
        assertThat(missing.path("error").asText()).contains("X-API-Key", "banyan apikey create");
        JsonNode unknown = error(send(request(server, "/api/channels/mychannel").header("X-API-Key", "nope")), 401,
                "UNAUTHENTICATED");
        assertThat(unknown.path("error").asText()).contains("not known to this node");
        HttpResponse<String> post = send(request(server, "/api/channels/ch/chaincodes/cc/evaluate")
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"f\"}")));
        error(post, 401, "UNAUTHENTICATED");
        assertThat(post.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void aKnownKeyReachesTheGatewayInEitherHeader() throws Exception {
        String key = newKey();
        JsonNode viaHeader = error(send(request(server, "/api/channels/nochannel").header("X-API-Key", key)), 404,
                "NOT_FOUND");
        assertThat(viaHeader.path("error").asText()).contains("channel 'nochannel' not found");
        error(send(request(server, "/api/channels/nochannel/chaincodes/cc/evaluate")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"f\", \"args\": [\"x\"]}"))), 404,
                "NOT_FOUND");
    }

    @Test
    void malformedRequestsAreBadRequestsThatNameTheProblem() throws Exception {
        String key = newKey();
        JsonNode body = error(send(request(server, "/api/channels/ch/chaincodes/cc/submit").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"f\", \"args\": [\"x\"}"))), 400,
                "INVALID_ARGUMENT");
        assertThat(body.path("error").asText()).contains("not a valid invocation", "line 1");
        error(send(request(server, "/api/channels/ch/chaincodes/cc/submit?async=maybe").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"f\"}"))), 400, "INVALID_ARGUMENT");
    }

    @Test
    void anOversizedBodyIsRefusedWithTheLimit() throws Exception {
        String key = newKey();
        String big = "{\"function\": \"f\", \"args\": [\"" + "x".repeat(REQUEST_BYTES_MAX) + "\"]}";
        JsonNode declared = error(send(request(server, "/api/channels/ch/chaincodes/cc/evaluate")
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(big))), 413, "RESOURCE_EXHAUSTED");
        assertThat(declared.path("error").asText()).contains(Integer.toString(REQUEST_BYTES_MAX),
                "gateway.requestBytesMax");
        // Without Content-Length (chunked), the server reads one byte past the limit and stops.
        JsonNode chunked = error(send(request(server, "/api/channels/ch/chaincodes/cc/evaluate")
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes())))), 413, "RESOURCE_EXHAUSTED");
        assertThat(chunked.path("error").asText()).contains(Integer.toString(REQUEST_BYTES_MAX));
        // The server goes on serving.
        error(send(request(server, "/api/channels/nochannel").header("X-API-Key", key)), 404, "NOT_FOUND");
    }

    @Test
    void unknownPathsAndMethodsAreSaidSo() throws Exception {
        String key = newKey();
        JsonNode path = error(send(request(server, "/api/nothing/here").header("X-API-Key", key)), 404, "NOT_FOUND");
        assertThat(path.path("error").asText()).contains("/api/openapi.json");
        HttpResponse<String> method = send(request(server, "/api/channels/ch/chaincodes/cc/evaluate")
                .header("X-API-Key", key));
        error(method, 405, "UNIMPLEMENTED");
        assertThat(method.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void eachKeyHasItsOwnRate() throws Exception {
        try (RestServer limited = new RestServer(settings(), new Gateway("Org1MSP", Gateway.network(
                channel -> Optional.empty(), (channel, msp) -> Optional.empty()),
                new NodeConfig.GatewaySettings(1_000, 1_000, REQUEST_BYTES_MAX, 64, 1, 1_000), Instant::now),
                RestServer.Options.DEFAULTS).start()) {
            String first = newKey();
            String second = newKey();
            error(send(request(limited, "/api/channels/ch").header("X-API-Key", first)), 404, "NOT_FOUND");
            HttpResponse<String> over = send(request(limited, "/api/channels/ch").header("X-API-Key", first));
            JsonNode body = error(over, 429, "RESOURCE_EXHAUSTED");
            assertThat(body.path("error").asText()).contains("1 requests per second");
            assertThat(over.headers().firstValue("Retry-After")).contains("1");
            error(send(request(limited, "/api/channels/ch").header("X-API-Key", second)), 404, "NOT_FOUND");
        }
    }
}
