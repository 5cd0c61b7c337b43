package org.banyan.consensus.codec;

import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Payload;
import org.banyan.crypto.Assert;

/**
 * The bounds a decoder enforces before allocating anything. {@link #from(ConsensusConfig)} derives them from the
 * channel's configuration, so every message an honest {@code Replica} with that configuration sends is within
 * them (except a {@code PayloadForward} of a single client payload larger than {@code proposalBytesMax}, which
 * could never be ordered anyway: encoding it fails and the node drops it).
 *
 * @param replicaCount n: replica ids are {@code < n}, so a certificate (strictly ascending signers) has at most
 *     n signatures
 * @param blockPayloadsMax most payloads in one block or one payload forward ({@code proposalPayloadsMax})
 * @param blockPayloadBytesMax most payload bytes in one block or one forward ({@code proposalBytesMax}); also
 *     the limit of a single payload
 * @param syncBlocksMax most blocks in one sync response
 * @param savedBlocksMax most uncommitted blocks in one saved safety-state record ({@code treeBlocksMax})
 * @param signatureBytesMax longest signature (ECDSA P-256 DER is at most 72 bytes, Ed25519 64)
 * @param messageBytesMax longest encoded message; the node's frame limit should be the same
 */
public record CodecLimits(int replicaCount, int blockPayloadsMax, long blockPayloadBytesMax, int syncBlocksMax,
        int savedBlocksMax, int signatureBytesMax, int messageBytesMax) {
    /** Default {@link #signatureBytesMax()}: room for any signature scheme Fabric MSPs use. */
    public static final int SIGNATURE_BYTES_MAX = 512;
    /** Cap of {@link #messageBytesMax()}: 1 GiB, below the JVM's array limit. */
    public static final int MESSAGE_BYTES_CAP = 1 << 30;
    /** A payload id is at most {@link Payload#PAYLOAD_ID_CHARS_MAX} UTF-16 units, each at most 3 UTF-8 bytes. */
    public static final int PAYLOAD_ID_BYTES_MAX = Payload.PAYLOAD_ID_CHARS_MAX * 3;

    public CodecLimits {
        Assert.that(replicaCount >= 1 && blockPayloadsMax >= 1 && blockPayloadBytesMax >= 1 && syncBlocksMax >= 1
                && savedBlocksMax >= 1 && signatureBytesMax >= 1 && messageBytesMax >= 64
                && messageBytesMax <= MESSAGE_BYTES_CAP, "limits %d %d %d %d %d %d %d", replicaCount,
                blockPayloadsMax, blockPayloadBytesMax, syncBlocksMax, savedBlocksMax, signatureBytesMax,
                messageBytesMax);
    }

    /**
     * Limits matching {@code config}: {@code messageBytesMax} is the size of the largest valid message (in
     * practice a sync response of {@code syncBlocksMax} full blocks), capped at {@link #MESSAGE_BYTES_CAP}.
     */
    public static CodecLimits from(ConsensusConfig config) {
        int n = config.replicaCount();
        long qcBytesMax = 88 + 4 + (long) n * (4 + 4 + SIGNATURE_BYTES_MAX);
        long tcBytesMax = 8 + 4 + (long) n * (4 + 8 + 4 + SIGNATURE_BYTES_MAX);
        long payloadsBytesMax = 4 + (long) config.proposalPayloadsMax() * (4 + PAYLOAD_ID_BYTES_MAX + 4)
                + config.proposalBytesMax();
        long blockBytesMax = 8 + 4 + qcBytesMax + payloadsBytesMax;
        long largest = Math.max(2 + blockBytesMax + 1 + tcBytesMax, 2 + 4 + config.syncBlocksMax() * blockBytesMax);
        largest = Math.max(largest, 2 + 2 * qcBytesMax + 1 + tcBytesMax);
        return new CodecLimits(n, config.proposalPayloadsMax(), config.proposalBytesMax(), config.syncBlocksMax(),
                config.treeBlocksMax(), SIGNATURE_BYTES_MAX, (int) Math.min(largest, MESSAGE_BYTES_CAP));
    }
}
