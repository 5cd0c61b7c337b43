package org.banyan.ledger.blocks;

import org.banyan.crypto.Assert;

/**
 * Where a block's record lies.
 *
 * @param segment segment file number ({@code segment-000003.blk} is 3)
 * @param offset byte offset of the record's frame (its length field) in the segment
 * @param payloadBytes length of the encoded block, excluding the frame
 */
public record BlockLocation(int segment, long offset, int payloadBytes) {
    public BlockLocation {
        Assert.that(segment >= 0 && offset >= SegmentFormat.HEADER_BYTES && payloadBytes > 0,
                "location segment=%d offset=%d payloadBytes=%d", segment, offset, payloadBytes);
    }

    /** The offset just past this record: where the next record's frame starts. */
    public long endOffset() {
        return offset + SegmentFormat.FRAME_BYTES + payloadBytes;
    }
}
