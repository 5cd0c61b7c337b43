package org.banyan.ledger.blocks;

/**
 * Tunables of a {@link BlockStore}.
 *
 * @param segmentBytesMax a segment is rolled when the next record would take it past this size (a record
 *     larger than this still goes alone into a fresh segment)
 * @param recordBytesMax the largest encoded block accepted; also bounds what recovery trusts a length field to
 * @param opener how segment files are opened for writing (tests inject failing disks)
 */
public record BlockStoreOptions(long segmentBytesMax, int recordBytesMax, AppendFile.Opener opener) {
    public static final long SEGMENT_BYTES_MAX_DEFAULT = 64L * 1024 * 1024;

    public BlockStoreOptions {
        if (segmentBytesMax <= SegmentFormat.HEADER_BYTES || recordBytesMax <= 0) {
            throw new IllegalArgumentException("segmentBytesMax=" + segmentBytesMax + " recordBytesMax="
                    + recordBytesMax);
        }
    }

    /** 64 MiB segments, 256 MiB record limit, the real file system. */
    public static BlockStoreOptions defaults() {
        return new BlockStoreOptions(SEGMENT_BYTES_MAX_DEFAULT, SegmentFormat.RECORD_BYTES_MAX_DEFAULT,
                AppendFile::open);
    }

    /** These options with another segment size. */
    public BlockStoreOptions withSegmentBytesMax(long bytes) {
        return new BlockStoreOptions(bytes, recordBytesMax, opener);
    }

    /** These options with another way to open segment files (tests inject failing disks). */
    public BlockStoreOptions withOpener(AppendFile.Opener newOpener) {
        return new BlockStoreOptions(segmentBytesMax, recordBytesMax, newOpener);
    }
}
