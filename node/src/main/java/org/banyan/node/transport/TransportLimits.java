package org.banyan.node.transport;

/**
 * Every bound of the transport in one place. Units are last in each name.
 *
 * @param frameBytesMax largest payload of one frame; {@link PeerLinks#send} rejects larger, the server resets a
 *     stream that carries a larger message (RST_STREAM; the dialler sees {@code CANCELLED})
 * @param inboundQueueFramesMax frames waiting for the handler; past it new frames are dropped and counted
 * @param outboundQueueFramesMax frames waiting per peer; past it the oldest frame is dropped and counted
 * @param reconnectBackoffMinMillis first wait after a failed or broken stream
 * @param reconnectBackoffMaxMillis cap of the doubling wait
 * @param streamOpenTimeoutMillis how long a new stream may take to be accepted (response headers) before it is
 *     cancelled and retried
 * @param keepAliveTimeMillis HTTP/2 ping interval on an idle connection, both sides
 * @param keepAliveTimeoutMillis a ping unanswered this long closes the connection
 * @param handshakeTimeoutMillis TLS handshake limit on the server
 * @param shutdownTimeoutMillis {@code close()} waits at most this long for each server, channel and thread
 */
public record TransportLimits(int frameBytesMax, int inboundQueueFramesMax, int outboundQueueFramesMax,
                              long reconnectBackoffMinMillis, long reconnectBackoffMaxMillis,
                              long streamOpenTimeoutMillis, long keepAliveTimeMillis, long keepAliveTimeoutMillis,
                              long handshakeTimeoutMillis, long shutdownTimeoutMillis) {
    /** 16 MiB frames, 10,000 inbound, 1,000 per peer outbound, backoff 50 ms..5 s, keepalive 10 s/5 s. */
    public static final TransportLimits DEFAULTS = new TransportLimits(16 * 1024 * 1024, 10_000, 1_000,
            50, 5_000, 5_000, 10_000, 5_000, 10_000, 5_000);

    public TransportLimits {
        if (frameBytesMax <= 0 || frameBytesMax > Frame.FRAME_BYTES_MAX_LIMIT) {
            throw new IllegalArgumentException("frameBytesMax must be 1.." + Frame.FRAME_BYTES_MAX_LIMIT + ": " + frameBytesMax);
        }
        if (inboundQueueFramesMax <= 0 || outboundQueueFramesMax <= 0) {
            throw new IllegalArgumentException("queue bounds must be positive");
        }
        if (reconnectBackoffMinMillis <= 0 || reconnectBackoffMaxMillis < reconnectBackoffMinMillis) {
            throw new IllegalArgumentException("backoff must satisfy 0 < min <= max");
        }
        if (streamOpenTimeoutMillis <= 0 || keepAliveTimeMillis <= 0 || keepAliveTimeoutMillis <= 0
                || handshakeTimeoutMillis <= 0 || shutdownTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Bytes of frame payloads the server's inbound queue holds at most (four largest frames); beyond, frames drop. */
    public long inboundQueueBytesMax() {
        return 4L * frameBytesMax;
    }

    /** Bytes queued towards one peer at most (two largest frames); beyond, the oldest frames drop. */
    public long outboundQueueBytesMax() {
        return 2L * frameBytesMax;
    }

    /** Largest encoded message the server accepts: the payload limit plus the envelope. */
    public int messageBytesMax() {
        return frameBytesMax + Frame.ENVELOPE_BYTES_MAX;
    }

    public TransportLimits withFrameBytesMax(int bytes) {
        return new TransportLimits(bytes, inboundQueueFramesMax, outboundQueueFramesMax, reconnectBackoffMinMillis,
                reconnectBackoffMaxMillis, streamOpenTimeoutMillis, keepAliveTimeMillis, keepAliveTimeoutMillis,
                handshakeTimeoutMillis, shutdownTimeoutMillis);
    }

    public TransportLimits withInboundQueueFramesMax(int frames) {
        return new TransportLimits(frameBytesMax, frames, outboundQueueFramesMax, reconnectBackoffMinMillis,
                reconnectBackoffMaxMillis, streamOpenTimeoutMillis, keepAliveTimeMillis, keepAliveTimeoutMillis,
                handshakeTimeoutMillis, shutdownTimeoutMillis);
    }
}
