package org.banyan.ledger.blocks;

/**
 * Tunables of a {@link BlockStore}.
 *
 * @param segmentBytesMax a segment is rolled when the next record would take it past this size (a record
 *     larger than this still goes alone into a fresh segment)
 * @param recordBytesMax the largest encoded block accepted; also bounds what recovery trusts a length field to
 * @param opener how segment files are opened for writing (tests inject failing disks)
 * @param durableHeightMin a height known from elsewhere to have been durable (for example the state and
 *     history savepoints + 1): recovery refuses to truncate below it, and a store that ends below it is
 *     corrupted. 0 when nothing is known.
 */
public record BlockStoreOptions(long segmentBytesMax, int recordBytesMax, AppendFile.Opener opener,
                                long durableHeightMin) {
    public static final long SEGMENT_BYTES_MAX_DEFAULT = 64L * 1024 * 1024;

    public BlockStoreOptions {
        if (segmentBytesMax <= SegmentFormat.HEADER_BYTES || recordBytesMax <= 0 || durableHeightMin < 0) {
            throw new IllegalArgumentException("segmentBytesMax=" + segmentBytesMax + " recordBytesMax="
                    + recordBytesMax + " durableHeightMin=" + durableHeightMin);
        }
    }

    /** 64 MiB segments, 256 MiB record limit, the real file system, no durable height known. */
    public static BlockStoreOptions defaults() {
        return new BlockStoreOptions(SEGMENT_BYTES_MAX_DEFAULT, SegmentFormat.RECORD_BYTES_MAX_DEFAULT,
                AppendFile::open, 0);
    }

    /** These options with another segment size. */
    public BlockStoreOptions withSegmentBytesMax(long bytes) {
        return new BlockStoreOptions(bytes, recordBytesMax, opener, durableHeightMin);
    }

    /** These options with another way to open segment files (tests inject failing disks). */
    public BlockStoreOptions withOpener(AppendFile.Opener newOpener) {
        return new BlockStoreOptions(segmentBytesMax, recordBytesMax, newOpener, durableHeightMin);
    }

    /** These options with a height known to have been durable: recovery never truncates below it. */
    public BlockStoreOptions withDurableHeightMin(long height) {
        return new BlockStoreOptions(segmentBytesMax, recordBytesMax, opener, height);
    }
}
