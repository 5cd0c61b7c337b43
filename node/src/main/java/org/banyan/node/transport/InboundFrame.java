package org.banyan.node.transport;

/**
 * A frame received from an authenticated consenter.
 *
 * @param fromConsenterId the sender's consenter ID in {@code channelId}, from the channel configuration
 * @param channelId the channel the frame belongs to
 * @param payload opaque consensus bytes, owned by the receiver
 */
public record InboundFrame(int fromConsenterId, String channelId, byte[] payload) {}
