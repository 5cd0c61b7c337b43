package org.banyan.node.consensus;

import java.util.List;
import org.banyan.consensus.ReplicaId;
import org.banyan.node.transport.PeerLinks;
import org.hyperledger.fabric.protos.common.Consenter;

/**
 * Adapts {@link PeerLinks} to a channel's {@link Transport}: replica {@code i} is the {@code i}-th consenter of
 * the channel configuration (consenters in ID order), whose consenter ID may differ from {@code i}.
 */
public final class PeerLinksTransport implements Transport {
    private final PeerLinks links;
    private final String channelId;
    private final int[] consenterIds;

    public PeerLinksTransport(PeerLinks links, String channelId, List<Consenter> consenters) {
        this.links = links;
        this.channelId = channelId;
        this.consenterIds = consenters.stream().mapToInt(Consenter::getId).toArray();
    }

    private final java.util.concurrent.atomic.AtomicLong framesDroppedOversize =
            new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void send(ReplicaId to, byte[] frame) {
        // PeerLinks counts drops itself (unknown peer, queue full); losing a frame is within the protocol's model.
        try {
            links.send(consenterIds[to.value()], channelId, frame);
        } catch (IllegalArgumentException e) {
            // Larger than the transport's frameBytesMax (e.g. a big SyncResponse): a configuration mismatch between
            // CodecLimits.messageBytesMax and TransportLimits.frameBytesMax, not a reason to stop consensus.
            framesDroppedOversize.incrementAndGet();
        }
    }

    @Override
    public boolean unreachable(ReplicaId to) {
        return links.isDown(consenterIds[to.value()], channelId);
    }

    /** Frames larger than the transport's {@code frameBytesMax}, dropped. */
    public long framesDroppedOversize() {
        return framesDroppedOversize.get();
    }

    /** The replica of consenter {@code consenterId}, or -1 when it is no consenter of this channel. */
    public int replicaOf(int consenterId) {
        for (int i = 0; i < consenterIds.length; i++) {
            if (consenterIds[i] == consenterId) {
                return i;
            }
        }
        return -1;
    }
}
