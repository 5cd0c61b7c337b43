package org.banyan.node.rest;

import io.grpc.Status;
import java.util.function.LongSupplier;
import org.banyan.node.gateway.GatewayChannel;
import org.banyan.node.gateway.GatewayException;

/**
 * The block event stream: a summary of every committed block from {@code startBlock} on, in order, then of each
 * block as it commits — the REST form of the Fabric gateway client's block events (which read Deliver). Each event's
 * ID is the block number, so a client that reconnects with {@code Last-Event-ID} goes on with the next block.
 */
final class BlockEvents {
    /** The longest a waiting stream goes without asking its sink whether the client is still there. */
    static final long POLL_MILLIS = 1_000;

    private BlockEvents() {}

    /**
     * Streams until the client goes away or no block committed for {@code idleTimeoutMillis}.
     *
     * @throws GatewayException DEADLINE_EXCEEDED after the idle timeout
     */
    static void stream(GatewayChannel channel, long startBlock, EventSink sink, long idleTimeoutMillis,
            LongSupplier nowMillis) throws GatewayException, InterruptedException {
        long next = startBlock;
        long lastSentMillis = nowMillis.getAsLong();
        while (sink.open()) {
            if (next < channel.height()) {
                sink.send(Long.toString(next), "block", BlockSummary.of(channel.block(next)));
                lastSentMillis = nowMillis.getAsLong();
                next++;
                continue;
            }
            long idleMillis = nowMillis.getAsLong() - lastSentMillis;
            if (idleMillis >= idleTimeoutMillis) {
                throw new GatewayException(Status.Code.DEADLINE_EXCEEDED, "no block committed for " + idleTimeoutMillis
                        + " ms; the stream ends, reconnect with Last-Event-ID to go on");
            }
            channel.awaitHeightAbove(next, Math.min(POLL_MILLIS, idleTimeoutMillis - idleMillis));
        }
    }
}
