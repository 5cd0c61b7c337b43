package org.banyan.node.rest;

import java.nio.charset.StandardCharsets;
import org.banyan.crypto.Assert;

/**
 * The server-sent events wire format (WHATWG HTML, "Server-sent events"): fields {@code id}, {@code event} and
 * {@code data}, one per line, an empty line ending the event; a line starting with a colon is a comment, which
 * clients ignore and proxies see as traffic.
 */
final class Sse {
    private Sse() {}

    /**
     * One event. {@code id} becomes the client's {@code Last-Event-ID} when it reconnects; null leaves the last one
     * as it is. {@code data} must be one line (compact JSON is).
     */
    static byte[] event(String id, String event, String data) {
        Assert.that((id == null || oneLine(id)) && oneLine(event) && oneLine(data),
                "SSE fields must be single lines: id=%s event=%s", id, event);
        return ((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A comment, to keep an idle connection alive. */
    static byte[] comment(String text) {
        Assert.that(oneLine(text), "SSE comments must be single lines");
        return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
    }
}
