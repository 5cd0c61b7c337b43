package org.banyan.node.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.gateway.Gateway;
import org.banyan.node.gateway.GatewayException;
import org.banyan.node.gateway.RequestLimiter;

/**
 * The REST API's HTTP server (the JDK's {@code com.sun.net.httpserver}; plain HTTP, meant for loopback or behind a
 * TLS-terminating proxy). Per request, in this order: the route (404 unknown path, 405 wrong method), the API key
 * (401), admission by a {@link RequestLimiter} keyed by the key's hash (429 over the key's rate, 503 over the node's
 * concurrency), the body within {@code gateway.requestBytesMax} (413, read no further), then the handler.
 *
 * <p>Threads: each request runs on its own virtual thread. What bounds them is admission: at most
 * {@code gateway.concurrentRequestsMax} requests do work at once (the limiter's own, separate from the gRPC
 * gateway's), at most {@link Options#streamsMax} event streams are open, and everything else is refused at once.
 * A stream ends when its client goes (noticed at the next write; a keep-alive comment is written every
 * {@link Options#keepAliveMillis} of silence), after {@code gateway.streamIdleTimeoutMillis} without an event, or
 * when the server closes.
 */
public final class RestServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RestServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Connections the kernel queues before the server accepts them. */
    static final int BACKLOG = 128;

    /**
     * @param streamsMax event streams open at once; past it a stream is refused 503
     * @param keepAliveMillis silence after which a stream writes a keep-alive comment
     */
    public record Options(int streamsMax, long keepAliveMillis) {
        public static final Options DEFAULTS = new Options(256, 15_000);

        public Options {
            if (streamsMax < 1 || keepAliveMillis < 1) {
                throw new IllegalArgumentException("streamsMax and keepAliveMillis must be positive: " + streamsMax
                        + ", " + keepAliveMillis);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Route> routes;
    private final ApiKeyAuthenticator authenticator;
    private final RequestLimiter limiter;
    private final Semaphore streams;
    private final Options options;
    private final int requestBytesMax;
    private final LongSupplier nowMillis = () -> System.nanoTime() / 1_000_000;

    /** Binds the address; {@link #start} serves. */
    public RestServer(NodeConfig.RestSettings settings, Gateway gateway, Options options) {
        NodeConfig.GatewaySettings limits = gateway.settings();
        this.routes = new RestApi(gateway, Instant::now, nowMillis).routes();
        this.authenticator = new ApiKeyAuthenticator(settings.apiKeysFile(), settings.walletDir());
        this.limiter = new RequestLimiter(limits.concurrentRequestsMax(), limits.requestsPerSecondPerClient(),
                System::nanoTime);
        this.streams = new Semaphore(options.streamsMax());
        this.options = options;
        this.requestBytesMax = limits.requestBytesMax();
        try {
            server = HttpServer.create(settings.address(), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.address() + " for the REST API", e);
        }
        threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("banyan-rest-", 0).factory());
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    public RestServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) {
        try {
            Reply reply = reply(exchange);
            if (reply instanceof Reply.Events events) {
                stream(exchange, events);
            } else {
                send(exchange, reply);
            }
        } catch (ApiError e) {
            sendError(exchange, e);
        } catch (InterruptedException e) {
            sendError(exchange, new ApiError(503, Status.Code.UNAVAILABLE, "the node is shutting down"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "REST " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getRawPath() + " failed", e);
            sendError(exchange, new ApiError(500, Status.Code.INTERNAL, "internal error: " + e));
        } finally {
            exchange.close();
        }
    }

    /** Routes, authenticates, admits and runs the handler. */
    private Reply reply(HttpExchange exchange) throws ApiError, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        Route route = route(exchange, path);
        Map<String, String> params = route.match(path).orElseThrow();
        Map<String, String> query = Call.parseQuery(exchange.getRequestURI().getRawQuery());
        Call.Body body = () -> readBody(exchange);
        if (!route.authenticated()) {
            return route.handler().handle(new Call(params, query, exchange.getRequestHeaders()::getFirst, null, body));
        }
        ApiKeyAuthenticator.Caller caller;
        try {
            caller = authenticator.authenticate(apiKey(exchange));
        } catch (GatewayException e) {
            throw ApiError.of(e);
        }
        Call call = new Call(params, query, exchange.getRequestHeaders()::getFirst, caller, body);
        try (RequestLimiter.Permit permit = limiter.admit(caller.limiterKey())) {
            return route.handler().handle(call);
        } catch (GatewayException e) {
            throw ApiError.of(e);
        }
    }

    private Route route(HttpExchange exchange, String path) throws ApiError {
        List<Route> matching = routes.stream().filter(r -> r.match(path).isPresent()).toList();
        if (matching.isEmpty()) {
            throw new ApiError(404, Status.Code.NOT_FOUND, "no endpoint at " + path + "; the API is described at "
                    + "/api/openapi.json");
        }
        Optional<Route> route = matching.stream().filter(r -> r.method().equals(exchange.getRequestMethod()))
                .findFirst();
        if (route.isEmpty()) {
            String allowed = String.join(", ", matching.stream().map(Route::method).toList());
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new ApiError(405, Status.Code.UNIMPLEMENTED, exchange.getRequestMethod() + " is not served at "
                    + path + "; use " + allowed);
        }
        return route.get();
    }

    /** {@code X-API-Key: KEY}, or else {@code Authorization: Bearer KEY}; null without either. */
    static String apiKey(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (key != null) {
            return key;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
    }

    /** The body, never more than {@code requestBytesMax} of it read. */
    private byte[] readBody(HttpExchange exchange) throws ApiError {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.strip());
                if (declared > requestBytesMax) {
                    throw tooLarge(declared + " bytes");
                }
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length '" + length + "' is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(requestBytesMax + 1);
            if (bytes.length > requestBytesMax) {
                throw tooLarge("more than " + requestBytesMax + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    private ApiError tooLarge(String size) {
        return new ApiError(413, Status.Code.RESOURCE_EXHAUSTED, "request body of " + size + " exceeds this node's "
                + "limit of " + requestBytesMax + " bytes (gateway.requestBytesMax)");
    }

    private void stream(HttpExchange exchange, Reply.Events events) throws InterruptedException {
        if (!streams.tryAcquire()) {
            sendError(exchange, new ApiError(503, Status.Code.RESOURCE_EXHAUSTED, "too many event streams: this node "
                    + "serves at most " + options.streamsMax() + " at once; retry later"));
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
            exchange.sendResponseHeaders(200, 0);
            HttpEventSink sink = new HttpEventSink(exchange.getResponseBody(), JSON, options.keepAliveMillis(),
                    nowMillis);
            sink.comment("stream open");
            events.source().run(sink);
        } catch (IOException e) {
            // The client went before the stream started; nothing to tell it.
        } finally {
            streams.release();
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try {
            switch (reply) {
                case Reply.Json json -> write(exchange, json.status(), "application/json; charset=utf-8",
                        JSON.writeValueAsBytes(json.body()));
                case Reply.Bytes bytes -> write(exchange, bytes.status(), bytes.contentType(), bytes.body());
                case Reply.Events events -> throw new IllegalStateException("streams are not sent whole");
            }
        } catch (IOException e) {
            // The client went; nothing to tell it.
        }
    }

    private static void sendError(HttpExchange exchange, ApiError error) {
        int status = error.httpStatus();
        if (status == 429 || status == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        if (status == 413) {
            exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is not read
        }
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        send(exchange, new Reply.Json(status, error.body()));
    }

    private static void write(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening, ends every stream and request. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
