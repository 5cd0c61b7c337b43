package org.banyan.node.consensus;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.consensus.ReplicaId;
import org.banyan.node.transport.FrameHandler;
import org.banyan.node.transport.InboundFrame;

/**
 * The {@link FrameHandler} of the {@code ConsenterServer}: hands each frame to its channel's sink (a driver), translating
 * the sender's consenter ID into the channel's replica id. Frames for channels without a driver are dropped and
 * counted. Runs on the server's dispatcher thread; never blocks (the driver's queue is bounded and non-blocking).
 */
public final class ChannelFrameRouter implements FrameHandler {
    private record Route(ReplicaFrameSink sink, PeerLinksTransport transport) {}

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final AtomicLong framesDroppedNoChannel = new AtomicLong();

    /** Routes {@code channelId}'s frames to {@code sink}; {@code transport} maps consenter IDs to replicas. */
    public void register(String channelId, ReplicaFrameSink sink, PeerLinksTransport transport) {
        routes.put(channelId, new Route(sink, transport));
    }

    public void unregister(String channelId) {
        routes.remove(channelId);
    }

    @Override
    public void onFrame(InboundFrame frame) {
        Route route = routes.get(frame.channelId());
        int replica = route == null ? -1 : route.transport().replicaOf(frame.fromConsenterId());
        if (replica < 0) {
            framesDroppedNoChannel.incrementAndGet();
            return;
        }
        route.sink().onFrame(new ReplicaId(replica), frame.payload());
    }

    /** Frames for a channel with no driver (or from a consenter unknown to it). */
    public long framesDroppedNoChannel() {
        return framesDroppedNoChannel.get();
    }
}
