package org.banyan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a node's operations endpoint how it is: {@code GET /healthz} and {@code GET /status} (docs/node.md). Every
 * request is bounded by {@link #REQUEST_TIMEOUT_MILLIS}; a node that does not answer is reported, not waited for.
 */
final class NodeProbe implements AutoCloseable {
    static final long CONNECT_TIMEOUT_MILLIS = 1_000;
    static final long REQUEST_TIMEOUT_MILLIS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A channel as the node reports it in {@code /status}.
     *
     * @param leader the replica index of the round's leader
     * @param self this node's replica index
     * @param running whether the channel's consensus and ledger writer run
     */
    record ChannelStatus(long height, long round, int leader, int self, boolean running) {}

    /**
     * One look at a node.
     *
     * @param reachable whether the operations endpoint answered at all
     * @param healthy {@code /healthz} answered 200
     * @param detail why not healthy (the endpoint's reason, or the connection error); empty when healthy
     * @param channel the channel's status, or null if {@code /status} did not list it
     */
    record Report(boolean reachable, boolean healthy, String detail, ChannelStatus channel) {
        /** Ready: healthy and the channel's consensus runs. */
        boolean ready() {
            return healthy && channel != null && channel.running();
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MILLIS)).build();

    /** Probes the endpoint at {@code operationsUrl} (e.g. {@code http://127.0.0.1:7250}) for {@code channel}. */
    Report probe(String operationsUrl, String channel) {
        HttpResponse<String> health;
        try {
            health = get(operationsUrl + "/healthz");
        } catch (IOException e) {
            return new Report(false, false, "operations endpoint " + operationsUrl + " does not answer ("
                    + describe(e) + ")", null);
        }
        boolean healthy = health.statusCode() == 200;
        String detail = healthy ? "" : "/healthz " + health.statusCode() + ": " + health.body().strip();
        try {
            HttpResponse<String> status = get(operationsUrl + "/status");
            JsonNode node = status.statusCode() == 200 ? JSON.readTree(status.body()).path("channels").path(channel)
                    : JSON.missingNode();
            return new Report(true, healthy, detail, node.isObject() ? channelStatus(node) : null);
        } catch (IOException e) {
            return new Report(true, healthy, detail.isEmpty() ? "/status failed: " + e.getMessage() : detail, null);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused: nothing listens there yet";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        http.close();
    }

    private static ChannelStatus channelStatus(JsonNode node) {
        return new ChannelStatus(node.path("height").asLong(-1), node.path("round").asLong(-1),
                node.path("leader").asInt(-1), node.path("self").asInt(-1), node.path("running").asBoolean(false));
    }

    private HttpResponse<String> get(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(REQUEST_TIMEOUT_MILLIS)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
