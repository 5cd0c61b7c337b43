package org.banyan.node.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A request as a handler sees it, free of the HTTP server: decoded path and query parameters, headers, the caller
 * an API key authenticated (null on the public route), and the body, read on demand within the size limit.
 */
record Call(Map<String, String> params, Map<String, String> query, Function<String, String> headers,
        ApiKeyAuthenticator.Caller caller, Body body) {
    /** Query parameters a request may have at most. */
    static final int QUERY_PARAMS_MAX = 32;

    /** The request body, read at most once. */
    interface Body {
        /** @throws ApiError 413 past the size limit */
        byte[] read() throws ApiError;
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no parameter " + name);
        }
        return value;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A header's value (names are case-insensitive), if the request has it. */
    Optional<String> header(String name) {
        return Optional.ofNullable(headers.apply(name));
    }

    /**
     * Decodes a query string ({@code a=1&b=x%20y}); a name without {@code =} has the empty value.
     *
     * @throws ApiError 400 for more than {@value #QUERY_PARAMS_MAX} parameters, a repeated one or a bad escape
     */
    static Map<String, String> parseQuery(String rawQuery) throws ApiError {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        String[] pairs = rawQuery.split("&", QUERY_PARAMS_MAX + 1);
        if (pairs.length > QUERY_PARAMS_MAX) {
            throw ApiError.badRequest("more than " + QUERY_PARAMS_MAX + " query parameters");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("query parameter '" + pair + "' is not URL-encoded correctly: "
                        + e.getMessage());
            }
            if (query.putIfAbsent(name, value) != null) {
                throw ApiError.badRequest("query parameter '" + name + "' is given more than once");
            }
        }
        return query;
    }
}
