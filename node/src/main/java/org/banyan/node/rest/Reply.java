package org.banyan.node.rest;

/** What a handler answers: a JSON document, raw bytes, or a stream of server-sent events. */
sealed interface Reply {
    /** {@code body} is written with Jackson. */
    record Json(int status, Object body) implements Reply {}

    record Bytes(int status, String contentType, byte[] body) implements Reply {}

    /**
     * A {@code text/event-stream}. The server sends the response headers, then runs {@code source} on the request's
     * thread until it returns; by then the request was admitted and its checks passed.
     */
    record Events(Source source) implements Reply {}

    /** Writes a stream's events until the client goes, the stream idles out, or the node stops. */
    interface Source {
        void run(EventSink sink) throws InterruptedException;
    }
}
