package org.banyan.consensus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a vote signs (DiemBFT v4 VoteInfo + LedgerCommitInfo): the block and its parent. Because the parent's id
 * and round are signed, a QC whose {@code round == parentRound + 1} is on its own a commit certificate for the
 * parent (2-chain rule) — anyone holding the consenter keys can check it without the child block.
 */
public record VoteData(Digest blockId, Round round, Height height, Digest parentId, Round parentRound) {
    private static final byte[] DOMAIN = "banyan/consensus/vote/v1".getBytes(StandardCharsets.US_ASCII);

    /** The exact bytes a replica signs for this vote. */
    public byte[] signingBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(DOMAIN.length + 32 + 8 + 8 + 32 + 8);
        buffer.put(DOMAIN).put(blockId.bytesUnsafe()).putLong(round.value()).putLong(height.value())
                .put(parentId.bytesUnsafe()).putLong(parentRound.value());
        return buffer.array();
    }

    /** True when a QC on this data commits the parent block (consecutive rounds: the 2-chain rule). */
    public boolean commitsParent() {
        return round.follows(parentRound);
    }

    /** The parent's height: the height a commit certificate on this data commits. */
    public Height parentHeight() {
        return new Height(height.value() - 1);
    }
}
