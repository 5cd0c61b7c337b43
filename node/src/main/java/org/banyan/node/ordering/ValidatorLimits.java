package org.banyan.node.ordering;

import org.banyan.protocol.config.ChannelConfig;

/**
 * Bounds of an {@link EnvelopeValidator}.
 *
 * @param payloadBytesMax largest envelope accepted, in bytes
 * @param cachedVerdictsMax verdicts kept (least recently used evicted first); each costs about 200 bytes
 */
public record ValidatorLimits(int payloadBytesMax, int cachedVerdictsMax) {
    /** Default cache size: a few minutes of traffic at the benchmark's rate. */
    public static final int CACHED_VERDICTS_DEFAULT = 200_000;

    /** Both bounds positive. */
    public ValidatorLimits {
        if (payloadBytesMax <= 0 || cachedVerdictsMax <= 0) {
            throw new IllegalArgumentException("invalid validator limits " + payloadBytesMax + "/" + cachedVerdictsMax);
        }
    }

    /** Fabric's orderer size filter: no envelope larger than the channel's {@code BatchSize.absolute_max_bytes}. */
    public static ValidatorLimits defaults(ChannelConfig config) {
        return new ValidatorLimits(config.batch().absoluteMaxBytes(), CACHED_VERDICTS_DEFAULT);
    }
}
