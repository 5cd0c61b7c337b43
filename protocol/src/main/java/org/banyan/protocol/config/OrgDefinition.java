package org.banyan.protocol.config;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.AnchorPeer;

/**
 * One organisation of a channel: its MSP definition and the consenter its node runs. In Banyan every
 * organisation runs one node that is both peer and consenter.
 *
 * @param msp the verifying MSP (root and TLS CAs, CRLs, NodeOUs) as Fabric carries it in channel config
 * @param consenterHost host of the node's consensus endpoint
 * @param consenterPort port of the node's consensus endpoint
 * @param consenterIdentity PEM certificate the consenter signs votes with (role orderer)
 * @param consenterTlsCertificate PEM TLS certificate of the node, used for both client and server side
 * @param anchorPeers where other organisations' gateways reach this organisation's endorsers (its node's
 *     client-facing endpoint), written to the channel as Fabric's {@code AnchorPeers} value
 */
public record OrgDefinition(FabricMSPConfig msp, String consenterHost, int consenterPort,
                            ByteString consenterIdentity, ByteString consenterTlsCertificate,
                            List<AnchorPeer> anchorPeers) {
    public OrgDefinition {
        anchorPeers = List.copyOf(anchorPeers);
    }

    /** An organisation without anchor peers (its endorsers are not announced in the channel). */
    public OrgDefinition(FabricMSPConfig msp, String consenterHost, int consenterPort, ByteString consenterIdentity,
            ByteString consenterTlsCertificate) {
        this(msp, consenterHost, consenterPort, consenterIdentity, consenterTlsCertificate, List.of());
    }

    public String mspId() {
        return msp.getName();
    }
}
