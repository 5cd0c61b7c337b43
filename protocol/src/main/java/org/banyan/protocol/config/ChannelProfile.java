package org.banyan.protocol.config;

import java.util.List;

/**
 * What a new channel is made of: the input to its genesis block (the job of Fabric's {@code configtxgen}).
 *
 * @param channelId lowercase channel name, as Fabric restricts it
 * @param orgs member organisations, in consenter order (consenter IDs are 1..n in this order)
 * @param batch block cutting parameters
 */
public record ChannelProfile(String channelId, List<OrgDefinition> orgs, BatchParameters batch) {
    /** Fabric's channel name rule: {@code [a-z][a-z0-9.-]*}, fewer than 250 characters. */
    private static final java.util.regex.Pattern CHANNEL_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9.-]{0,248}");

    public ChannelProfile {
        checkChannelName(channelId);
        if (orgs.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one organisation");
        }
        long distinct = orgs.stream().map(OrgDefinition::mspId).distinct().count();
        if (distinct != orgs.size()) {
            throw new IllegalArgumentException("organisations must have distinct MSP IDs");
        }
        orgs = List.copyOf(orgs);
    }

    /**
     * Throws {@link IllegalArgumentException} unless {@code channelId} follows Fabric's channel name rule; lets a
     * caller refuse a bad name before it writes anything.
     */
    public static void checkChannelName(String channelId) {
        if (!CHANNEL_NAME.matcher(channelId).matches()) {
            throw new IllegalArgumentException("channel name '" + channelId
                    + "' must match [a-z][a-z0-9.-]* and be shorter than 250 characters");
        }
    }

    /**
     * Block cutting, as Fabric's orderer configuration.
     *
     * @param maxMessageCount most transactions in a block
     * @param absoluteMaxBytes no block's data may exceed this
     * @param preferredMaxBytes a block is cut once its data reaches this
     * @param batchTimeoutMillis a block is cut this long after its first transaction arrived
     */
    public record BatchParameters(int maxMessageCount, int absoluteMaxBytes, int preferredMaxBytes,
                                  long batchTimeoutMillis) {
        /** Fabric's sample defaults: 500 messages, 10 MB absolute, 2 MB preferred, 2 s. */
        public static final BatchParameters DEFAULTS = new BatchParameters(500, 10 * 1024 * 1024, 2 * 1024 * 1024, 2_000);

        public BatchParameters {
            if (maxMessageCount <= 0 || preferredMaxBytes <= 0 || absoluteMaxBytes < preferredMaxBytes
                    || batchTimeoutMillis <= 0) {
                throw new IllegalArgumentException("invalid batch parameters " + maxMessageCount + "/"
                        + absoluteMaxBytes + "/" + preferredMaxBytes + "/" + batchTimeoutMillis + "ms");
            }
        }
    }
}
