package org.banyan.node.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint: an HTTP method and a path template in OpenAPI's form ({@code /api/channels/{channel}}), with the
 * handler that serves it. The template is the key of the endpoint in {@code openapi.json}, which a test checks.
 *
 * @param authenticated false only for the public OpenAPI document
 */
record Route(String method, String template, boolean authenticated, Handler handler) {
    /** Path segments a request may have at most; longer paths match nothing. */
    static final int SEGMENTS_MAX = 16;

    /** Serves a matched request. */
    interface Handler {
        Reply handle(Call call) throws ApiError, InterruptedException;
    }

    /**
     * The path parameters when {@code rawPath} (still percent-encoded) fits the template, each decoded; a
     * {@code +} in a path stays a plus (only query strings encode spaces so).
     */
    Optional<Map<String, String>> match(String rawPath) {
        List<String> expected = segments(template);
        List<String> actual = segments(rawPath);
        if (actual.size() != expected.size() || actual.size() > SEGMENTS_MAX) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String value = decode(actual.get(i));
            if (want.startsWith("{") && want.endsWith("}")) {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                params.put(want.substring(1, want.length() - 1), value);
            } else if (!want.equals(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return List.of(trimmed.split("/", SEGMENTS_MAX + 2));
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // a bad escape matches no literal segment and is passed on as written
        }
    }
}
