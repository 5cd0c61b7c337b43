package org.banyan.ledger.blocks;

/**
 * What {@link BlockStore#open} repaired.
 *
 * @param bytesTruncated bytes of a torn tail record removed from the last segment (0 when the tail was clean)
 * @param truncatedSegment the segment file that was truncated, or empty
 * @param truncatedAtOffset where the torn record started, or -1
 * @param blocksIndexed blocks found in the segments beyond the index and added to it
 * @param indexRebuilt true when the index was missing or disagreed with the segments and was rebuilt
 */
public record RecoveryReport(long bytesTruncated, String truncatedSegment, long truncatedAtOffset,
                             long blocksIndexed, boolean indexRebuilt) {
    /** True when nothing needed repair. */
    public boolean clean() {
        return bytesTruncated == 0 && blocksIndexed == 0 && !indexRebuilt;
    }

    /** One line for the node's log. */
    public String describe() {
        if (clean()) {
            return "block store clean";
        }
        StringBuilder line = new StringBuilder("block store recovered:");
        if (bytesTruncated > 0) {
            line.append(" truncated torn tail of ").append(bytesTruncated).append(" bytes in ")
                    .append(truncatedSegment).append(" at offset ").append(truncatedAtOffset).append(';');
        }
        if (indexRebuilt) {
            line.append(" index rebuilt;");
        }
        line.append(" indexed ").append(blocksIndexed).append(" blocks from the segments");
        return line.toString();
    }
}
