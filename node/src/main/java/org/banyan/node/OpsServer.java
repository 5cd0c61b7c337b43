package org.banyan.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.banyan.node.metrics.MetricsRegistry;

/**
 * The node's operations endpoint (HTTP, meant for loopback or an operations network): {@code GET /healthz} answers
 * 200 {@code ok} while every channel's consensus runs and 503 with the reason otherwise; {@code GET /status}
 * answers a JSON snapshot of the node (heights, rounds, leaders, counters); {@code GET /tx/<channel>/<txId>} answers
 * where a committed transaction is ({@code block}, {@code index}, {@code code}) or 404; {@code GET /metrics} answers
 * the node's metrics in Prometheus text format 0.0.4 ({@code docs/node.md}, "Metrics"). Two threads serve it, so a
 * slow client cannot take the node down with it.
 */
final class OpsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the pages show. */
    interface Source {
        /** Null when healthy, else why not. */
        String unhealthyReason();

        Object status();

        /** Where a committed transaction is, or null if the channel is not hosted or has no such transaction. */
        Object transaction(String channelId, String txId);
    }

    private final HttpServer server;
    private final ExecutorService threads;

    OpsServer(InetSocketAddress address, MetricsRegistry metrics, Source source) {
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for operations", e);
        }
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "banyan-ops");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/healthz", exchange -> {
            String reason = source.unhealthyReason();
            respond(exchange, reason == null ? 200 : 503, "text/plain", reason == null ? "ok\n" : reason + "\n");
        });
        server.createContext("/status", exchange -> respond(exchange, 200, "application/json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(source.status()) + "\n"));
        server.createContext("/metrics", exchange -> {
            String text;
            try {
                text = metrics.scrape();
            } catch (RuntimeException e) {
                // A gauge's callback failed: say so rather than drop the connection without an answer.
                respond(exchange, 500, "text/plain", "metrics unavailable: " + e + "\n");
                return;
            }
            respond(exchange, 200, MetricsRegistry.CONTENT_TYPE, text);
        });
        server.createContext("/tx/", exchange -> {
            // /tx/<channel>/<txId>
            String[] parts = exchange.getRequestURI().getPath().split("/");
            Object found = parts.length == 4 ? source.transaction(parts[2], parts[3]) : null;
            if (found == null) {
                respond(exchange, 404, "application/json", "{\"error\": \"no such transaction\"}\n");
            } else {
                respond(exchange, 200, "application/json", JSON.writeValueAsString(found) + "\n");
            }
        });
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders("GET".equals(exchange.getRequestMethod()) ? code : 405, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
