package org.banyan.ledger.blocks;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.banyan.crypto.Assert;

/**
 * Reads the records of one segment file in order, trusting nothing: every frame's length is bounded and every
 * payload's CRC32C checked. Used by the block store's recovery and by the ledger verifier, which must not
 * depend on the index. Not thread-safe; one scan per instance.
 *
 * <p>The scanner reports what it finds; whether a bad record is a torn tail (repairable) or corruption is
 * the caller's decision, made from {@link Bad#reachesEndOfFile()} and whether this is the last segment.
 */
public final class SegmentScanner implements AutoCloseable {
    /** What the next position of the file holds. */
    public sealed interface Step permits Good, Bad, End {}

    /** A record whose checksum matches. */
    public record Good(long offset, byte[] payload) implements Step {
        public long endOffset() {
            return offset + SegmentFormat.FRAME_BYTES + payload.length;
        }
    }

    /**
     * A record that cannot be read.
     *
     * @param offset where its frame starts
     * @param problem what is wrong, for messages
     * @param reachesEndOfFile true when the bad bytes run to the end of the file with no room for a good record
     *     after them: the shape a write cut short by a crash leaves
     */
    public record Bad(long offset, String problem, boolean reachesEndOfFile) implements Step {}

    /** The file ends exactly after the previous record. */
    public record End(long offset) implements Step {}

    private final FileChannel channel;
    private final int recordBytesMax;
    private final long sizeBytes;
    private long position;

    private SegmentScanner(FileChannel channel, int recordBytesMax, long sizeBytes, long position) {
        this.channel = channel;
        this.recordBytesMax = recordBytesMax;
        this.sizeBytes = sizeBytes;
        this.position = position;
    }

    /**
     * Opens a segment for reading from {@code startOffset} (at least {@link SegmentFormat#HEADER_BYTES}). The
     * header is not checked here: see {@link #readHeader}.
     */
    public static SegmentScanner open(Path file, long startOffset, int recordBytesMax) throws IOException {
        Assert.that(startOffset >= SegmentFormat.HEADER_BYTES, "startOffset=%d", startOffset);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new SegmentScanner(channel, recordBytesMax, channel.size(), startOffset);
    }

    /** The segment's header bytes, or fewer when the file is shorter than a header. */
    public static ByteBuffer readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // positional reads until full or end of file
            }
            return header.flip();
        }
    }

    /** File size when the scan started. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Reads the next record; after a {@link Bad} or {@link End} the scan is over. */
    public Step next() {
        long remaining = sizeBytes - position;
        if (remaining == 0) {
            return new End(position);
        }
        if (remaining < SegmentFormat.FRAME_BYTES) {
            return new Bad(position, "short frame: " + remaining + " bytes before end of file", true);
        }
        ByteBuffer frame = read(position, SegmentFormat.FRAME_BYTES).order(ByteOrder.BIG_ENDIAN);
        int length = frame.getInt(0);
        int crc = frame.getInt(4);
        if (length <= 0 || length > recordBytesMax) {
            // A crash can leave a zero-filled tail (the size grew before the data reached the disk); a length
            // no append could have written is damage, not a torn write.
            return new Bad(position, "record length " + Integer.toUnsignedString(length) + " out of range",
                    length == 0 && remaining <= SegmentFormat.FRAME_BYTES + (long) recordBytesMax);
        }
        long end = position + SegmentFormat.FRAME_BYTES + length;
        if (end > sizeBytes) {
            return new Bad(position, "short record: length " + length + " but only "
                    + (remaining - SegmentFormat.FRAME_BYTES) + " bytes before end of file", true);
        }
        byte[] payload = read(position + SegmentFormat.FRAME_BYTES, length).array();
        if (SegmentFormat.crc32c(payload, 0, length) != crc) {
            return new Bad(position, "checksum mismatch", end == sizeBytes);
        }
        Good good = new Good(position, payload);
        position = end;
        return good;
    }

    private ByteBuffer read(long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException("segment shrank while scanning at offset " + offset);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
