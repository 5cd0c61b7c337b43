package org.banyan.node.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * An {@link EventSink} over an HTTP response body. Every write is flushed at once, so each event leaves when it is
 * sent. The JDK's HTTP server does not tell a handler that its client went away; a failed write does, so the sink
 * writes a keep-alive comment whenever {@code keepAliveMillis} passed without a write — which also keeps proxies from
 * closing a quiet stream — and reports the client gone after the first write that fails.
 */
final class HttpEventSink implements EventSink {
    private final OutputStream out;
    private final ObjectMapper json;
    private final long keepAliveMillis;
    private final LongSupplier nowMillis;
    private long lastWriteMillis;
    private boolean closed;

    HttpEventSink(OutputStream out, ObjectMapper json, long keepAliveMillis, LongSupplier nowMillis) {
        this.out = out;
        this.json = json;
        this.keepAliveMillis = keepAliveMillis;
        this.nowMillis = nowMillis;
        this.lastWriteMillis = nowMillis.getAsLong();
    }

    @Override
    public boolean open() {
        if (!closed && nowMillis.getAsLong() - lastWriteMillis >= keepAliveMillis) {
            write(Sse.comment("keep-alive"));
        }
        return !closed;
    }

    @Override
    public void send(String id, String event, Object data) {
        if (closed) {
            return;
        }
        String line;
        try {
            line = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data must serialise: " + e.getMessage(), e);
        }
        write(Sse.event(id, event, line));
    }

    /** A comment, written at once (the first tells the client the stream is open). */
    void comment(String text) {
        write(Sse.comment(text));
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            lastWriteMillis = nowMillis.getAsLong();
        } catch (IOException e) {
            closed = true;
        }
    }
}
